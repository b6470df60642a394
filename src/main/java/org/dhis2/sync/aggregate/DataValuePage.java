package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A page of data values to POST to central's /api/dataValueSets, numbered from 1. */
public record DataValuePage(int number, List<DataValue> values) {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** The oldest change in the page, on the local server's clock. */
    public long oldestLastUpdated() {
        return values.stream().mapToLong(DataValue::lastUpdated).min().orElse(Long.MAX_VALUE);
    }

    /** The dataValueSet body: identity, value, comment, followup, storedBy and deleted; no created/lastUpdated. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(values.size() * 180 + 32);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("dataValues");
            for (DataValue v : values) {
                json.writeStartObject();
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
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
