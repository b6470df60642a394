package org.dhis2.sync.aggregate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A complete data set registration as read from the local export (lastUpdated/lastUpdatedBy are not sent), or, with
 * {@code deletion}, one that left the local export and is to be deleted on central.
 */
public record Registration(String dataSet, String period, String organisationUnit, String attributeOptionCombo,
                           String date, String storedBy, boolean completed, boolean deletion) {

    /** The fingerprint kept for a registration that is no longer on local (deleted, or out of the scope). */
    public static final String GONE = "gone";

    public Registration(String dataSet, String period, String organisationUnit, String attributeOptionCombo,
                        String date, String storedBy, boolean completed) {
        this(dataSet, period, organisationUnit, attributeOptionCombo, date, storedBy, completed, false);
    }

    /** The deletion of the registration with this {@link #key()}. */
    static Registration deletionOf(String key) {
        String[] k = key.split("\\|", -1);
        return new Registration(k[0], k[1], k[2], k[3], null, null, false, true);
    }

    /** Identity in DHIS2: data set, period, org unit, attribute option combo. */
    public String key() {
        return dataSet + '|' + period + '|' + organisationUnit + '|' + attributeOptionCombo;
    }

    /**
     * Content fingerprint: DHIS2 cannot filter registration exports by last update, so a change (new, re-dated,
     * un-completed) is found by comparing this with the fingerprint of what central last accepted.
     */
    public String fingerprint() {
        return fingerprintOfText(key() + '|' + date + '|' + storedBy + '|' + completed);
    }

    /** A 128-bit SHA-256 prefix of a text, in hex. */
    static String fingerprintOfText(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
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
