package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages sent in parallel, 2.42 local to 2.42 central: the same generated data synchronized with parallelism 4 and
 * with parallelism 1. Central answers each import after 150 ms, so pages in flight overlap at the sandbox.
 */
class TrackerParallelPagesTest {

    private static final Logger LOG = LoggerFactory.getLogger(TrackerParallelPagesTest.class);
    private static final GeneratorSpec SPEC = GeneratorSpec.small().withTrackedEntities(40);

    @TempDir
    Path parallelTemp;
    @TempDir
    Path sequentialTemp;

    @Test
    void pagesOverlapAtCentralAndTheOutcomeEqualsSequentialSending() throws Exception {
        try (TrackerSyncFixture parallel = start(parallelTemp, 4);
             TrackerSyncFixture sequential = start(sequentialTemp, 1)) {
            for (Kind kind : Kind.values()) {
                assertThat(bodies(parallel.local(), kind)).as("same generated " + kind)
                        .isEqualTo(bodies(sequential.local(), kind));
            }
            long parallelMillis = runBoth(parallel);
            long sequentialMillis = runBoth(sequential);
            LOG.info("40 tracked entities in pages of 5 + 30 events in pages of 5, 150 ms per import: "
                    + "parallelism 4 took {} ms, parallelism 1 took {} ms", parallelMillis, sequentialMillis);

            assertThat(RequestLog.maxConcurrent(parallel.central().requests().matching("POST", "/api/tracker")))
                    .isEqualTo(4);
            assertThat(RequestLog.maxConcurrent(sequential.central().requests().matching("POST", "/api/tracker")))
                    .isEqualTo(1);
            // a parallel read holds a whole batch, cut into full pages: never more imports than one page per read
            assertThat(parallel.central().requests().count("POST", "/api/tracker"))
                    .isLessThanOrEqualTo(sequential.central().requests().count("POST", "/api/tracker"));
            assertThat(parallel.local().requests().count("GET", "/api/tracker/trackedEntities"))
                    .isLessThan(sequential.local().requests().count("GET", "/api/tracker/trackedEntities"));

            for (Kind kind : Kind.values()) {
                assertThat(bodies(parallel.central(), kind)).as(kind.name()).isNotEmpty()
                        .isEqualTo(bodies(sequential.central(), kind));
                assertThat(bodies(parallel.central(), kind).keySet()).as(kind.name())
                        .isEqualTo(bodies(parallel.local(), kind).keySet());
            }
            for (TrackerType kind : TrackerType.values()) {
                for (String state : new String[] {"SYNCED", "ERROR", "TO_UPDATE", "TO_POST"}) {
                    assertThat(parallel.countInState(kind, state)).as(kind + " " + state)
                            .isEqualTo(sequential.countInState(kind, state));
                }
            }
            assertThat(parallel.countInState(TrackerType.TRACKED_ENTITY, "SYNCED")).isEqualTo(40);
        }
    }

    private static TrackerSyncFixture start(Path temp, int parallelism) throws Exception {
        TrackerSyncFixture f = TrackerSyncFixture.start(temp, 42, 42, SPEC, Map.of(
                "sync.tracker.pageSize", "5", "sync.events.pageSize", "5",
                "sync.tracker.parallelism", String.valueOf(parallelism),
                "sync.events.parallelism", String.valueOf(parallelism)));
        f.central().faults().on("POST", "/api/tracker").fail(Fault.latency(Duration.ofMillis(150)));
        return f;
    }

    /** Runs both tracker jobs; both must succeed. Returns the elapsed time (logged, not asserted: CI boxes are shared). */
    private static long runBoth(TrackerSyncFixture f) {
        long start = System.nanoTime();
        JobRun events = f.run(TrackerSyncFixture.EVENTS_JOB);
        JobRun tracker = f.run(TrackerSyncFixture.TRACKER_JOB);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(events.status()).as(events.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(tracker.status()).as(tracker.summary()).isEqualTo(JobRun.Status.SUCCESS);
        return millis;
    }

    /** The live objects of a kind by UID, without server-stamped times. */
    private static Map<String, ObjectNode> bodies(Dhis2Instance instance, Kind kind) {
        Map<String, ObjectNode> result = new TreeMap<>();
        for (Item i : instance.tracker().query(kind, null, null, x -> !x.deleted(), false, 0, -1, false).items()) {
            result.put(i.uid(), withoutTimes(i.body().deepCopy()));
        }
        return result;
    }

    private static ObjectNode withoutTimes(ObjectNode node) {
        node.remove(java.util.List.of("createdAt", "updatedAt", "storedAt"));
        node.forEach(child -> {
            if (child instanceof ObjectNode o) {
                withoutTimes(o);
            }
            child.forEach(c -> {
                if (c instanceof ObjectNode o) {
                    withoutTimes(o);
                }
            });
        });
        return node;
    }
}
