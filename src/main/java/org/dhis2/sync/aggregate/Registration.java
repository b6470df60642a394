package org.dhis2.sync.aggregate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A complete data set registration as read from the local export (lastUpdated/lastUpdatedBy are not sent). */
public record Registration(String dataSet, String period, String organisationUnit, String attributeOptionCombo,
                           String date, String storedBy, boolean completed) {

    /** Identity in DHIS2: data set, period, org unit, attribute option combo. */
    public String key() {
        return dataSet + '|' + period + '|' + organisationUnit + '|' + attributeOptionCombo;
    }

    /**
     * Content fingerprint: DHIS2 cannot filter registration exports by last update, so a change (new, re-dated,
     * un-completed) is found by comparing this with the fingerprint of what central last accepted.
     */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((key() + '|' + date + '|' + storedBy + '|'
                    + completed).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean involves(String uid) {
        return uid != null && (uid.equals(dataSet) || uid.equals(period) || uid.equals(organisationUnit)
                || uid.equals(attributeOptionCombo));
    }
}
