package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page of data values to POST to central's /api/dataValueSets, numbered from 1. {@code dataSetsOf} (data element
 * → its data sets on local) lets a conflict without indexes that names a data set be tied to that set's values.
 */
public record DataValuePage(int number, List<DataValue> values, Map<String, Set<String>> dataSetsOf)
        implements PushPage<DataValue> {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]+");

    public DataValuePage(int number, List<DataValue> values) {
        this(number, values, Map.of());
    }

    @Override
    public List<DataValue> items() {
        return values;
    }

    @Override
    public boolean involves(DataValue value, ImportJudgement.Conflict conflict) {
        return value.involves(conflict.object(), conflict.value());
    }

    /**
     * How many of the value's references (data element, period, org unit, option combos, its data sets) the
     * conflict's object and message name. DHIS2 before 2.38 writes e.g. {@code {"object":"202401","value":"Current
     * date is past expiry days for period 202401 and data set: dsA"}}: the values of data set dsA score higher than
     * other values of that period.
     */
    @Override
    public int specificity(DataValue value, ImportJudgement.Conflict conflict) {
        Set<String> tokens = new HashSet<>();
        for (String text : new String[] {conflict.object(), conflict.value()}) {
            if (text != null) {
                Matcher m = TOKEN.matcher(text);
                while (m.find()) {
                    tokens.add(m.group());
                }
            }
        }
        int score = 0;
        for (String ref : new String[] {value.dataElement(), value.period(), value.orgUnit(),
                value.categoryOptionCombo(), value.attributeOptionCombo()}) {
            if (ref != null && tokens.contains(ref)) {
                score++;
            }
        }
        for (String dataSet : dataSetsOf.getOrDefault(value.dataElement(), Set.of())) {
            if (tokens.contains(dataSet)) {
                score++;
            }
        }
        return score;
    }

    /** The oldest change in the page, on the local server's clock (values without a change time left out). */
    @Override
    public long oldestLastUpdated() {
        return values.stream().filter(DataValue::dated).mapToLong(DataValue::lastUpdated).min()
                .orElse(Long.MAX_VALUE);
    }

    @Override
    public boolean hasUndated() {
        return values.stream().anyMatch(v -> !v.dated());
    }

    /** The dataValueSet body: identity, value, comment, followup, storedBy and deleted; no created/lastUpdated. */
    @Override
    public byte[] toJson() {
        return PageJson.write("dataValues", values, 180, DataValuePage::write);
    }

    /** The same values as DHIS2's CSV import reads them (application/csv). */
    public byte[] toCsv() {
        return DataValueCsv.write(values);
    }

    private static void write(JsonGenerator json, DataValue v) throws IOException {
        json.writeStringField("dataElement", v.dataElement());
        json.writeStringField("period", v.period());
        json.writeStringField("orgUnit", v.orgUnit());
        json.writeStringField("categoryOptionCombo", v.categoryOptionCombo());
        json.writeStringField("attributeOptionCombo", v.attributeOptionCombo());
        json.writeStringField("value", v.value());
        if (v.storedBy() != null) {
            json.writeStringField("storedBy", v.storedBy());
        }
        json.writeStringField("comment", v.comment());
        json.writeBooleanField("followup", v.followup());
        if (v.deleted()) {
            json.writeBooleanField("deleted", true);
        }
    }
}
