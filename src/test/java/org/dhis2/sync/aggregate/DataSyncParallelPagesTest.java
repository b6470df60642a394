package org.dhis2.sync.aggregate;

import java.util.Map;

/**
 * The DATA_SYNC story (values arrive exactly as local has them, changes and deletions propagate, a rejected value is
 * recorded as a conflict and not re-sent until it changes, a run with nothing changed sends nothing) with pages of
 * 50 and two of them in flight at once (sync.dataValues.parallelism=2), 2.41 local to 2.42 central.
 */
class DataSyncParallelPagesTest extends DataSyncJobTestBase {
    @Override
    int version() {
        return 41;
    }

    @Override
    int centralVersion() {
        return 42;
    }

    @Override
    Map<String, String> settings() {
        return Map.of("sync.dataValues.parallelism", "2", "sync.dataValues.pageSize", "50");
    }
}
