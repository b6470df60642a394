package org.dhis2.sync.download;

/** By UID against a 2.42 central (ownership denial reads as 404), break-the-glass reason configured. */
class TrackerDownloadByUid242Test extends TrackerDownloadByUidTestBase {
    TrackerDownloadByUid242Test() {
        super(41, 42, "Referral from another site (dhis2-sync test)");
    }
}
