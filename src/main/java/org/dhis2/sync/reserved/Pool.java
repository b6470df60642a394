package org.dhis2.sync.reserved;

/**
 * One pool of reserved values: an attribute, and the org unit code when its pattern uses ORG_UNIT_CODE ("" else).
 *
 * @param pattern the attribute's current pattern (values made with another one are dropped)
 */
public record Pool(String attribute, String orgUnitCode, String pattern) {

    public static boolean usesOrgUnitCode(String pattern) {
        return pattern.replaceAll("\"([^\"\\\\]|\\\\.)*\"", "").contains("ORG_UNIT_CODE(");
    }

    /** For logs, summaries and metric labels: {@code attribute} or {@code attribute/ORGCODE}. */
    public String label() {
        return orgUnitCode.isEmpty() ? attribute : attribute + "/" + orgUnitCode;
    }
}
