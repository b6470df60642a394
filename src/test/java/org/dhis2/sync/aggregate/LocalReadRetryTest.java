package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reads of the aggregate stages from the local instance (its clock, the data value export, the registrations)
 * are retried on a transient fault like every other DHIS2 call (metadata.sync.retry attempts): a local DHIS2 that
 * answers one 503 or drops one connection does not fail DATA_SYNC. (They were made inside the stage's doTry, where
 * Camel's error handler, and so the dhis2Calls retry rule, does not apply: one attempt only.)
 */
class LocalReadRetryTest {

    @TempDir
    static Path temp;

    @Test
    void transientFaultsOfLocalReadsAreRetriedAndTheRunSucceeds() throws Exception {
        try (DataSyncFixture f = DataSyncFixture.start(temp, 40, 42, GeneratorSpec.small(), Map.of())) {
            f.pair.local().faults().on("GET", "/api/dataValueSets").requests(1).fail(Fault.status(503));
            f.pair.local().faults().on("GET", "/api/completeDataSetRegistrations").requests(1)
                    .fail(Fault.resetMidBody());
            f.pair.local().faults().on("GET", "/api/system/info").requests(2).fail(Fault.status(502));

            JobRun run = f.runJob();

            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(f.pair.local().requests().count("GET", "/api/dataValueSets")).isEqualTo(2);
            assertThat(f.pair.local().requests().count("GET", "/api/completeDataSetRegistrations")).isEqualTo(2);
            f.assertCentralEqualsLocal();
            f.assertCentralRegistrationsEqualLocal();
        }
    }
}
