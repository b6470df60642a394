package org.dhis2.sync.download;

/** Local 2.42, central 2.39. */
class TrackerDownload42To39Test extends TrackerDownloadJobTestBase {
    TrackerDownload42To39Test() {
        super(42, 39);
    }
}
