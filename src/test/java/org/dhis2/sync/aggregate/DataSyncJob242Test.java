package org.dhis2.sync.aggregate;

/** The DATA_SYNC story with a 2.42 pair. */
class DataSyncJob242Test extends DataSyncJobTestBase {
    @Override
    int version() {
        return 42;
    }
}
