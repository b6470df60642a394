package org.dhis2.sync.download;

/** By UID against a 2.41 central (403 OWNERSHIP_ACCESS_DENIED), break-the-glass reason configured. */
class TrackerDownloadByUidOverrideTest extends TrackerDownloadByUidTestBase {
    TrackerDownloadByUidOverrideTest() {
        super(40, 41, "Patient transferred to this site (dhis2-sync test)");
    }
}
