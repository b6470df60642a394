package org.dhis2.sync.sandbox;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The per-value checks of a {@code POST /api/dataValueSets} import, in DHIS2's order
 * (DataValueSetImportValidator): a failed check adds the conflict DHIS2 would and the value is ignored.
 */
final class AggregateValueChecks {

    private static final Pattern NUMERIC = Pattern.compile("^[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?$");
    private static final Pattern INTEGER = Pattern.compile("^(0|[-+]?[1-9]\\d*)$");
    private static final Pattern POSITIVE_INTEGER = Pattern.compile("^\\+?[1-9]\\d*$");
    private static final Pattern ZERO_OR_POSITIVE_INTEGER = Pattern.compile("^(0|\\+?[1-9]\\d*)$");
    private static final Pattern NEGATIVE_INTEGER = Pattern.compile("^-[1-9]\\d*$");
    private static final int MAX_TEXT = 50_000;

    private final Dhis2Instance instance;
    private final AggregateMetadata metadata;

    AggregateValueChecks(Dhis2Instance instance, AggregateMetadata metadata) {
        this.instance = instance;
        this.metadata = metadata;
    }

    /** Checks one value; on failure adds the conflict DHIS2 would and returns false. */
    boolean valid(int i, AggregateDataValueImport.Incoming in, String pe, String ou, String coc, String aoc, boolean deleting,
                          Set<String> rejected, AggregateImportSummary summary) {
        String de = in.dataElement();
        if (de == null || !metadata.dataElementExists(de) || rejected.contains(de)) {
            summary.conflict(i, String.valueOf(de), AggregateApi.objects("dataElement", String.valueOf(de)),
                    "Data element not found or not accessible: `" + de + "`", "E7610", "dataElement");
            return false;
        }
        if (!AggregatePeriods.isValid(pe)) {
            summary.conflict(i, String.valueOf(pe), AggregateApi.objects("period", String.valueOf(pe)),
                    "Period not valid: `" + pe + "`", "E7611", "period");
            return false;
        }
        if (ou == null || !metadata.orgUnitExists(ou) || rejected.contains(ou)) {
            summary.conflict(i, String.valueOf(ou), AggregateApi.objects("orgUnit", String.valueOf(ou)),
                    "Organisation unit not found or not accessible: `" + ou + "`", "E7612", "orgUnit");
            return false;
        }
        if (!metadata.inUserHierarchy(ou)) {
            summary.conflict(i, ou, AggregateApi.objects("orgUnit", ou), "Organisation unit: `" + ou
                    + "` not in hierarchy of current user: `" + instance.username() + "`", "E7617", "orgUnit");
            return false;
        }
        if (!metadata.categoryOptionComboExists(coc)) {
            summary.conflict(i, coc, AggregateApi.objects("categoryOptionCombo", coc),
                    "Category option combo not found or not accessible for writing data: `" + coc + "`", "E7613",
                    "categoryOptionCombo");
            return false;
        }
        if (!metadata.categoryOptionComboExists(aoc)) {
            summary.conflict(i, aoc, AggregateApi.objects("attributeOptionCombo", aoc),
                    "Attribute option combo not found or not accessible for writing data: `" + aoc + "`", "E7615",
                    "attributeOptionCombo");
            return false;
        }
        String approvalDataSet = instance.aggregate().hasExpiredPeriods() ? metadata.approvalDataSet(de) : null;
        if (approvalDataSet != null && instance.aggregate().isExpired(approvalDataSet, pe)) {
            if (summary.legacy()) { // 2.36 DefaultDataValueSetService: object = period, message names the set
                summary.conflict(i, pe, null, "Current date is past expiry days for period " + pe
                        + " and data set: " + approvalDataSet, null, null);
            } else { // DataValueImportConflict.PERIOD_EXPIRED, E7640
                summary.conflict(i, pe, AggregateApi.objects("period", pe, "dataSet", approvalDataSet),
                        "Current date is past expiry days for period: `" + pe + "`  and data set: `"
                                + approvalDataSet + "`", "E7640", "period");
            }
            return false;
        }
        if (!deleting && !isEmpty(in.value())) {
            String problem = typeProblem(metadata.valueType(de), in.value());
            if (problem != null) {
                summary.conflict(i, de, AggregateApi.objects("dataElement", de, "value", problem),
                        "Value must match data element's `" + de + "` type constraints: " + message(problem),
                        "E7619", "value");
                return false;
            }
        }
        return true;
    }

    /** The i18n key DHIS2's ValidationUtils.valueIsValid returns, or null when the value fits the type. */
    static String typeProblem(String valueType, String value) {
        String v = value.trim();
        return switch (valueType) {
            case "NUMBER", "UNIT_INTERVAL" -> NUMERIC.matcher(v).matches() ? null : "value_not_numeric";
            case "PERCENTAGE" -> !NUMERIC.matcher(v).matches() ? "value_not_numeric"
                    : (Double.parseDouble(v) < 0 || Double.parseDouble(v) > 100 ? "value_not_percentage" : null);
            case "INTEGER" -> INTEGER.matcher(v).matches() ? null : "value_not_integer";
            case "INTEGER_POSITIVE" -> POSITIVE_INTEGER.matcher(v).matches() ? null : "value_not_positive_integer";
            case "INTEGER_ZERO_OR_POSITIVE" -> ZERO_OR_POSITIVE_INTEGER.matcher(v).matches() ? null
                    : "value_not_zero_or_positive_integer";
            case "INTEGER_NEGATIVE" -> NEGATIVE_INTEGER.matcher(v).matches() ? null : "value_not_negative_integer";
            case "BOOLEAN" -> Set.of("true", "false", "1", "0").contains(v.toLowerCase(Locale.ROOT)) ? null
                    : "value_not_bool";
            case "TRUE_ONLY" -> Set.of("true", "1").contains(v.toLowerCase(Locale.ROOT)) ? null
                    : "value_not_true_only";
            default -> value.length() > MAX_TEXT ? "value_length_greater_than_max_length" : null;
        };
    }

    private static String message(String key) {
        return switch (key) {
            case "value_not_numeric" -> "Data value is not numeric";
            case "value_not_percentage" -> "Data value is not a percentage";
            case "value_not_integer" -> "Data value is not an integer";
            case "value_not_positive_integer" -> "Data value is not a positive integer";
            case "value_not_zero_or_positive_integer" -> "Data value is not zero or positive integer";
            case "value_not_negative_integer" -> "Data value is not a negative integer";
            case "value_not_bool" -> "Data value is not boolean";
            case "value_not_true_only" -> "Data value is not true (true-only value type)";
            default -> "Data value length is greater than max length";
        };
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
