package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/** A page of complete registrations for central's /api/completeDataSetRegistrations, "page n of m". */
public record RegistrationPage(int number, int of, List<Registration> registrations)
        implements PushPage<Registration> {

    @Override
    public List<Registration> items() {
        return registrations;
    }

    @Override
    public boolean involves(Registration registration, ImportJudgement.Conflict conflict) {
        return registration.involves(conflict.object());
    }

    /** A page of deletions (pages hold either registrations to import or deletions, never both). */
    public boolean deletions() {
        return !registrations.isEmpty() && registrations.get(0).deletion();
    }

    @Override
    public byte[] toJson() {
        return PageJson.write("completeDataSetRegistrations", registrations, 160, RegistrationPage::write);
    }

    private static void write(JsonGenerator json, Registration r) throws IOException {
        json.writeStringField("dataSet", r.dataSet());
        json.writeStringField("period", r.period());
        json.writeStringField("organisationUnit", r.organisationUnit());
        json.writeStringField("attributeOptionCombo", r.attributeOptionCombo());
        if (r.deletion()) {
            return; // importStrategy=DELETE finds it by its identity
        }
        if (r.date() != null) {
            json.writeStringField("date", r.date());
        }
        if (r.storedBy() != null) {
            json.writeStringField("storedBy", r.storedBy());
        }
        json.writeBooleanField("completed", r.completed());
    }
}
