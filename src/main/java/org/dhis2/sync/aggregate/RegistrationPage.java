package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A page of complete registrations for central's /api/completeDataSetRegistrations, "page n of m". */
public record RegistrationPage(int number, int of, List<Registration> registrations) {

    private static final JsonFactory FACTORY = new JsonFactory();

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(registrations.size() * 160 + 48);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("completeDataSetRegistrations");
            for (Registration r : registrations) {
                json.writeStartObject();
                json.writeStringField("dataSet", r.dataSet());
                json.writeStringField("period", r.period());
                json.writeStringField("organisationUnit", r.organisationUnit());
                json.writeStringField("attributeOptionCombo", r.attributeOptionCombo());
                if (r.date() != null) {
                    json.writeStringField("date", r.date());
                }
                if (r.storedBy() != null) {
                    json.writeStringField("storedBy", r.storedBy());
                }
                json.writeBooleanField("completed", r.completed());
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
