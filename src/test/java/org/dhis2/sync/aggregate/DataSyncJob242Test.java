package org.dhis2.sync.aggregate;

/** The DATA_SYNC story from a 2.42 local to a 2.39 central (plain-or-wrapped summaries, 409 on WARNING, payload dates kept). */
class DataSyncJob242Test extends DataSyncJobTestBase {
    @Override
    int version() {
        return 42;
    }

    @Override
    int centralVersion() {
        return 39;
    }
}
