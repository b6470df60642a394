package org.dhis2.sync.aggregate;

/** The DATA_SYNC story with a 2.39 pair (plain-or-wrapped summaries, 409 on WARNING, payload dates kept). */
class DataSyncJob239Test extends DataSyncJobTestBase {
    @Override
    int version() {
        return 39;
    }
}
