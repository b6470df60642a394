package org.dhis2.sync.download;

/** Local 2.40, central 2.41. */
class TrackerDownload40To41Test extends TrackerDownloadJobTestBase {
    TrackerDownload40To41Test() {
        super(40, 41);
    }
}
