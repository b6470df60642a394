package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million data values through DATA_SYNC in a small heap (bench/data-values-1m.sh runs it with -Xmx256m; the
 * sandbox pair shares that heap). Not a timed test and not run by default: -Dbench.million=true.
 */
@EnabledIfSystemProperty(named = "bench.million", matches = "true")
class MillionDataValuesBench {

    @TempDir
    static Path temp;

    @Test
    void millionValuesSyncInASmallHeap() throws Exception {
        GeneratorSpec spec = new GeneratorSpec(7L, 220, 60, 3, 4, 24, 1_000_000, 0.2, 0, 0, 0, 0, 0, 0);
        Map<String, String> props = Map.of("sync.dataValues.pageSize", "10000");
        try (DataSyncFixture f = DataSyncFixture.start(temp, 42, 42, spec, props)) {
            f.pair.local().requests().setRecordBodies(false);
            f.pair.central().requests().setRecordBodies(false);
            int values = f.pair.local().aggregate().size();
            long started = System.nanoTime();
            JobRun run = f.runJob();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("BENCH %d data values synced in %d ms (%.0f values/s), max heap %d MB, status %s%n",
                    values, millis, values * 1000.0 / Math.max(1, millis),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024), run.status());
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(values).isGreaterThan(900_000);
            assertThat(f.pair.central().aggregate().size()).isEqualTo(f.pair.local().aggregate().count());
        }
    }
}
