package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Aggregate endpoints: {@code GET/POST /api/dataValueSets} and {@code GET/POST /api/completeDataSetRegistrations}
 * (shared/reference/dhis2-web-api.md §1.1, §1.2, §2.1, §2.2).
 */
final class AggregateApi {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private AggregateApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        AggregateDataValueExport export = new AggregateDataValueExport(instance);
        AggregateDataValueImport dataValueImport = new AggregateDataValueImport(instance);
        AggregateRegistrations registrations = new AggregateRegistrations(instance);
        router.get("/api/dataValueSets", export::handle);
        router.post("/api/dataValueSets", dataValueImport::handle);
        router.get("/api/completeDataSetRegistrations", registrations::export);
        router.post("/api/completeDataSetRegistrations", registrations::importRegistrations);
    }

    /** {@code importStrategy} (or its older name {@code strategy}), with DHIS2's legacy aliases. */
    static String importStrategy(SandboxRequest request) {
        String raw = request.param("importStrategy").or(() -> request.param("strategy"))
                .orElse("CREATE_AND_UPDATE").toUpperCase(Locale.ROOT);
        return switch (raw) {
            case "CREATE", "NEW" -> "CREATE";
            case "UPDATE", "UPDATES" -> "UPDATE";
            case "CREATE_AND_UPDATE", "NEW_AND_UPDATES" -> "CREATE_AND_UPDATE";
            case "DELETE", "DELETES" -> "DELETE";
            default -> throw Dhis2Exception.badRequest("Value '" + raw + "' is not valid for parameter importStrategy");
        };
    }

    /** Answers an ImportSummary, plain or wrapped and with the HTTP status of the instance's version. */
    static void answer(SandboxRequest request, SandboxResponse response, Dhis2Instance instance, ObjectNode summary) {
        WebMessages.importSummary(request, response, instance.version(), summary);
    }

    /** An ordered {@code objects} map of an ImportConflict. */
    static Map<String, String> objects(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** {@code 10d}, {@code 12h}, {@code 30m}, {@code 45s} → milliseconds (DHIS2 DateUtils.getDuration). */
    static long durationMillis(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)([dhms])$").matcher(text.trim());
        if (!m.matches()) {
            throw Dhis2Exception.conflict("Duration is not valid: `" + text + "`", "E2005");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> n * 86_400_000L;
            case "h" -> n * 3_600_000L;
            case "m" -> n * 60_000L;
            default -> n * 1000L;
        };
    }
}
