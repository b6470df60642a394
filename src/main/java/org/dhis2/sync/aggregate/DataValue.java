package org.dhis2.sync.aggregate;

/**
 * One data value as read from the local export. {@code lastUpdated} is kept (epoch ms on the local server's clock)
 * for the watermark and for conflict bookkeeping, but never sent to central (DHIS2-8084: 2.39/2.40 would backdate).
 */
public record DataValue(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                        String attributeOptionCombo, String value, String storedBy, String comment, boolean followup,
                        boolean deleted, long lastUpdated) {

    /** {@code lastUpdated} when the export gave none. */
    public static final long UNDATED = Long.MIN_VALUE;

    /** True when the export gave the value's change time. */
    public boolean dated() {
        return lastUpdated != UNDATED;
    }

    /** What is sent of the value, hashed: tells a value seen again in the window overlap from a changed one. */
    public String fingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((value + '\u0001' + comment
                    + '\u0001' + followup + '\u0001' + deleted + '\u0001' + storedBy)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value's identity in DHIS2: data element, period, org unit, category option combo, attribute option combo. */
    public String key() {
        return dataElement + '|' + period + '|' + orgUnit + '|' + categoryOptionCombo + '|' + attributeOptionCombo;
    }

    /**
     * True when a conflict without indexes is about this value: its {@code object} names one of the value's UIDs, or
     * (older DHIS2: {@code {"object":"40L","value":"... must match data element type: vANAXwtLwcT"}}) the object is
     * the value itself and the message names its data element.
     */
    boolean involves(String object, String message) {
        if (object == null) {
            return false;
        }
        return object.equals(dataElement) || object.equals(period) || object.equals(orgUnit)
                || object.equals(categoryOptionCombo) || object.equals(attributeOptionCombo)
                || object.equals(value) && message != null && message.contains(dataElement);
    }
}
