package org.dhis2.sync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.TrackerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM during a run: no new page is taken, the page in flight settles, the run is recorded as stopped. */
class GracefulStopTest {

    @Test
    void sigtermDuringARunStopsTakingPagesRecordsTheRunAsStoppedAndLosesNothing(@TempDir Path temp)
            throws Exception {
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41));
             EngineProcess engine = new EngineProcess(temp.resolve("engine"), pair.localServer().url(),
                     pair.centralServer().url(), Map.of("sync.dataValues.pageSize", "50"))) {
            SandboxGenerator.populate(pair, GeneratorSpec.small());
            engine.start();
            // every answer 700 ms late; the SIGTERM is sent when the first page reaches central (its answer then waits
            // 3 s more): pages taken after it are the ones already in flight or read ahead
            pair.central().faults().setLatency(Duration.ofMillis(700));
            long[] stopAskedAt = new long[1];
            java.util.concurrent.CountDownLatch signalled = new java.util.concurrent.CountDownLatch(1);
            pair.central().faults().on("POST", "/api/dataValueSets").requests(1).fail(Fault.beforeHandling(() -> {
                stopAskedAt[0] = System.nanoTime();
                engine.terminate();
                signalled.countDown();
                sleepQuietly(Duration.ofSeconds(3));
            }));
            String jobId = engine.execute("DATA_SYNC");
            assertThat(signalled.await(60, TimeUnit.SECONDS)).as("a page reached central").isTrue();
            long stopAsked = stopAskedAt[0];
            assertThat(engine.awaitExit(Duration.ofSeconds(40))).as("the engine exits:\n%s", engine.log()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - stopAsked)).isLessThan(Duration.ofSeconds(40));
            long posted = pair.central().requests().count("POST", "/api/dataValueSets");
            assertThat(posted).as("pages taken after SIGTERM").isLessThan(5);
            assertThat(engine.log()).contains("dhis2-sync stopped");
            pair.central().faults().clear();

            engine.start();
            JsonNode stopped = null;
            for (JsonNode run : engine.getJson("/api/jobs/DATA_SYNC/runs").path("runs")) {
                if (run.path("jobId").asText().equals(jobId)) {
                    stopped = run;
                }
            }
            assertThat(stopped).isNotNull();
            assertThat(stopped.path("status").asText()).as(stopped.toString()).isEqualTo("CANCELLED");
            assertThat(stopped.path("summary").asText()).contains("stopped").contains("sent next run");

            JsonNode next = engine.run("DATA_SYNC");
            assertThat(next.path("status").asText()).as(next.toString()).isEqualTo("SUCCESS");
            assertThat(values(pair.central())).isEqualTo(values(pair.local()));
        }
    }

    @Test
    void sigtermDuringATrackerRunStopsTakingPagesAndTheNextRunCompletesIt(@TempDir Path temp) throws Exception {
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(40));
             EngineProcess engine = new EngineProcess(temp.resolve("engine"), pair.localServer().url(),
                     pair.centralServer().url(), Map.of("sync.tracker.pageSize", "5",
                     "sync.tracker.parallelism", "1"))) {
            SandboxGenerator.populate(pair, GeneratorSpec.small());
            engine.start();
            // 11 tracked entities in pages of 5. The SIGTERM is sent when the first page reaches central, and its
            // answer waits 3 s: the stop lands while that page is in flight, when the page read ahead behind it is the
            // last one taken (waiting for the sandbox's log of the answer instead raced with that read-ahead)
            java.util.concurrent.CountDownLatch signalled = new java.util.concurrent.CountDownLatch(1);
            pair.central().faults().on("POST", "/api/tracker").requests(1).fail(Fault.beforeHandling(() -> {
                engine.terminate();
                signalled.countDown();
                sleepQuietly(Duration.ofSeconds(3));
            }));
            String jobId = engine.execute("TRACKER_PROGRAMS_DATA_SYNC");
            assertThat(signalled.await(60, TimeUnit.SECONDS)).as("a tracker page reached central").isTrue();
            assertThat(engine.awaitExit(Duration.ofSeconds(40))).as("the engine exits:\n%s", engine.log()).isTrue();
            pair.central().faults().clear();
            assertThat(KillPointsTest.alive(pair.central(), TrackerStore.Kind.TRACKED_ENTITY, false))
                    .as("not every page was sent").isNotEqualTo(KillPointsTest.alive(pair.local(),
                            TrackerStore.Kind.TRACKED_ENTITY, false));

            engine.start();
            assertThat(engine.getJson("/api/jobs/TRACKER_PROGRAMS_DATA_SYNC/runs").path("runs").findValues("jobId")
                    .stream().anyMatch(id -> id.asText().equals(jobId))).isTrue();
            assertThat(engine.getJson("/api/jobs/TRACKER_PROGRAMS_DATA_SYNC/runs").path("runs").get(0)
                    .path("status").asText()).isEqualTo("CANCELLED");
            JsonNode next = engine.run("TRACKER_PROGRAMS_DATA_SYNC");
            assertThat(next.path("status").asText()).as(next.toString()).isEqualTo("SUCCESS");
            for (TrackerStore.Kind kind : TrackerStore.Kind.values()) {
                assertThat(KillPointsTest.alive(pair.central(), kind, false)).as(kind.name())
                        .isEqualTo(KillPointsTest.alive(pair.local(), kind, false));
            }
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> values(Dhis2Instance instance) {
        Map<String, String> values = new HashMap<>();
        List<AggregateStore.DataValue> all = instance.aggregate().values();
        for (AggregateStore.DataValue v : all) {
            if (!v.deleted()) {
                values.put(v.dataElement() + '|' + v.period() + '|' + v.orgUnit() + '|' + v.categoryOptionCombo()
                        + '|' + v.attributeOptionCombo(), v.value());
            }
        }
        return values;
    }
}
