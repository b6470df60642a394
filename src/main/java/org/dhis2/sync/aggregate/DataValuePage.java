package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/** A page of data values to POST to central's /api/dataValueSets, numbered from 1. */
public record DataValuePage(int number, List<DataValue> values) implements PushPage<DataValue> {

    @Override
    public List<DataValue> items() {
        return values;
    }

    @Override
    public boolean involves(DataValue value, ImportJudgement.Conflict conflict) {
        return value.involves(conflict.object(), conflict.value());
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
