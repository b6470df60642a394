package org.dhis2.sync.download;

/** Local 2.39, central 2.42. */
class TrackerDownload39To42Test extends TrackerDownloadJobTestBase {
    TrackerDownload39To42Test() {
        super(39, 42);
    }
}
