package org.dhis2.sync.download;

/** By UID against a 2.40 central (401 OWNERSHIP_ACCESS_DENIED), no break-the-glass reason: never overrides. */
class TrackerDownloadByUidNoOverrideTest extends TrackerDownloadByUidTestBase {
    TrackerDownloadByUidNoOverrideTest() {
        super(42, 40, "");
    }
}
