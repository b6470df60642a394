package org.dhis2.sync.aggregate;

/** The DATA_SYNC story from a 2.39 local to a 2.42 central. */
class DataSyncJob239Test extends DataSyncJobTestBase {
    @Override
    int version() {
        return 39;
    }

    @Override
    int centralVersion() {
        return 42;
    }
}
