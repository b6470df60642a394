package org.dhis2.sync.aggregate;

/**
 * One data value as read from the local export. {@code lastUpdated} is kept (epoch ms on the local server's clock)
 * for the watermark and for conflict bookkeeping, but never sent to central (DHIS2-8084: 2.39/2.40 would backdate).
 */
public record DataValue(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                        String attributeOptionCombo, String value, String storedBy, String comment, boolean followup,
                        boolean deleted, long lastUpdated) {

    /** The value's identity in DHIS2: data element, period, org unit, category option combo, attribute option combo. */
    public String key() {
        return dataElement + '|' + period + '|' + orgUnit + '|' + categoryOptionCombo + '|' + attributeOptionCombo;
    }

    /** True when a conflict's {@code object} names one of this value's identifying UIDs. */
    boolean involves(String uid) {
        return uid != null && (uid.equals(dataElement) || uid.equals(period) || uid.equals(orgUnit)
                || uid.equals(categoryOptionCombo) || uid.equals(attributeOptionCombo));
    }
}
