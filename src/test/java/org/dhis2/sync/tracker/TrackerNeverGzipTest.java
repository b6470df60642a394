package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per central version 2.39-2.42, with central.compression on: DHIS2 reads {@code POST /api/tracker} JSON without
 * sniffing (TrackerImportController, core@2.39.0-2.42.0), so the engine sends it plain JSON, and every tracker and
 * event push arrives; in the same runs the aggregate POSTs do go gzipped (compression is on, only not there).
 */
class TrackerNeverGzipTest {

    @ParameterizedTest(name = "central {1}")
    @CsvSource({"42, 39", "41, 40", "40, 41", "39, 42"})
    void trackerPushesArePlainJsonAndArrive(int local, int central, @TempDir Path temp) throws Exception {
        try (TrackerSyncFixture sync = TrackerSyncFixture.start(temp, local, central, GeneratorSpec.small(),
                Map.of())) {
            for (String job : new String[] {TrackerSyncFixture.TRACKER_JOB, TrackerSyncFixture.EVENTS_JOB,
                    "DATA_SYNC"}) {
                JobRun run = sync.run(job);
                assertThat(run.status()).as(job + ": " + run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            }
            var trackerPosts = sync.central().requests().matching("POST", "/api/tracker");
            assertThat(trackerPosts).isNotEmpty().allSatisfy(e -> {
                assertThat(e.gzipped()).as("gzip to %s", e.path()).isFalse();
                assertThat(new String(e.body(), StandardCharsets.UTF_8)).startsWith("{");
            });
            for (Kind kind : Kind.values()) {
                assertThat(TrackerSyncFixture.alive(sync.central(), kind, false)).as(kind.name())
                        .isEqualTo(TrackerSyncFixture.alive(sync.local(), kind, false));
            }
            assertThat(TrackerSyncFixture.alive(sync.central(), Kind.EVENT, true))
                    .isEqualTo(TrackerSyncFixture.alive(sync.local(), Kind.EVENT, true));
            assertThat(sync.central().requests().matching("POST", "/api/dataValueSets")).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.gzipped()).isTrue());
        }
    }
}
