package org.dhis2.sync.download;

/** Local 2.41, central 2.40. */
class TrackerDownload41To40Test extends TrackerDownloadJobTestBase {
    TrackerDownload41To40Test() {
        super(41, 40);
    }
}
