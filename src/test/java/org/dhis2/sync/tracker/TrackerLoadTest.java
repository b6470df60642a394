package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Polite load on central (issue 15): adaptive tracker pages, and one concurrency cap across jobs. */
class TrackerLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GeneratorSpec SPEC = GeneratorSpec.small().withTrackedEntities(40);

    @TempDir
    Path splitTemp;
    @TempDir
    Path capTemp;
    @TempDir
    Path latencyTemp;
    @TempDir
    Path gatewayTemp;

    @Test
    void trackerPagesAboveTheBodyLimitAreSplitAndEveryTrackedEntityArrivesOnce() throws Exception {
        try (TrackerSyncFixture f = TrackerSyncFixture.start(splitTemp, 42, 42, SPEC, Map.of(
                "sync.tracker.pageSize", "20", "sync.tracker.parallelism", "2",
                "sync.adaptive.tracker.minPageSize", "1"))) {
            // a limit of about 6 tracked entities (with their enrollments and events), above the largest one: a
            // page of 20 is refused, a page of one never is
            long total = 0;
            long largest = 0;
            int count = 0;
            for (var te : f.local().tracker().query(Kind.TRACKED_ENTITY, null, null, x -> !x.deleted(), false, 0,
                    -1, false).items()) {
                long size = JSON.writeValueAsBytes(te.body()).length;
                for (var en : f.local().tracker().children(Kind.ENROLLMENT, te.uid())) {
                    size += JSON.writeValueAsBytes(en.body()).length;
                    for (var ev : f.local().tracker().children(Kind.EVENT, en.uid())) {
                        size += JSON.writeValueAsBytes(ev.body()).length;
                    }
                }
                total += size;
                largest = Math.max(largest, size);
                count++;
            }
            long limit = Math.max(2 * largest + 2000, total / count * 6);
            f.central().faults().on("POST", "/api/tracker").fail(Fault.bodyLimit(limit));

            JobRun run = f.run(TrackerSyncFixture.TRACKER_JOB);

            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            List<RequestLog.Entry> posts = f.central().requests().matching("POST", "/api/tracker");
            assertThat(posts).filteredOn(p -> p.status() == 413).as("pages refused and split").isNotEmpty();
            Map<String, Integer> imports = new HashMap<>();
            for (RequestLog.Entry p : posts) {
                if (p.status() == 200) {
                    for (JsonNode te : JSON.readTree(p.bodyText()).path("trackedEntities")) {
                        imports.merge(te.path("trackedEntity").asText(), 1, Integer::sum);
                    }
                }
            }
            assertThat(imports.values()).as("no tracked entity imported twice").allMatch(n -> n == 1);
            assertThat(imports.keySet()).isEqualTo(TrackerSyncFixture.alive(f.local(), Kind.TRACKED_ENTITY, false));
            assertThat(TrackerSyncFixture.alive(f.central(), Kind.TRACKED_ENTITY, false))
                    .isEqualTo(TrackerSyncFixture.alive(f.local(), Kind.TRACKED_ENTITY, false));
            assertThat(f.countInState(TrackerType.TRACKED_ENTITY, "SYNCED")).isEqualTo(40);
            try (var c = f.engine.database().dataSource().getConnection();
                 var s = c.prepareStatement("select page_size from adaptive_page_size where stage = ?")) {
                s.setString(1, "tracker");
                try (var rs = s.executeQuery()) {
                    assertThat(rs.next()).as("the learned size is stored").isTrue();
                    assertThat(rs.getInt(1)).isLessThan(20);
                }
            }
        }
    }

    @Test
    void twoJobsAtOnceNeverHaveMoreRequestsAtCentralThanTheCap() throws Exception {
        try (TrackerSyncFixture f = TrackerSyncFixture.start(capTemp, 42, 42, SPEC, Map.of(
                "sync.tracker.pageSize", "5", "sync.events.pageSize", "5", "sync.tracker.parallelism", "4",
                "sync.events.parallelism", "4", "central.maxConcurrentRequests", "3"))) {
            f.central().faults().on("POST", "/api/tracker").fail(Fault.latency(Duration.ofMillis(150)));
            f.central().requests().clear();

            CompletableFuture<JobRun> events = CompletableFuture.supplyAsync(
                    () -> f.run(TrackerSyncFixture.EVENTS_JOB));
            CompletableFuture<JobRun> tracker = CompletableFuture.supplyAsync(
                    () -> f.run(TrackerSyncFixture.TRACKER_JOB));
            JobRun e = events.get();
            JobRun t = tracker.get();

            assertThat(e.status()).as(e.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(t.status()).as(t.summary()).isEqualTo(JobRun.Status.SUCCESS);
            List<RequestLog.Entry> all = f.central().requests().all();
            assertThat(RequestLog.maxConcurrent(all)).as("at most the cap, and the cap is reached").isEqualTo(3);
            assertThat(TrackerSyncFixture.alive(f.central(), Kind.TRACKED_ENTITY, false))
                    .isEqualTo(TrackerSyncFixture.alive(f.local(), Kind.TRACKED_ENTITY, false));
        }
    }

    @Test
    void at300MsRoundTripsTheNextReadOverlapsTheSendsOfTheBatchBefore() throws Exception {
        try (TrackerSyncFixture f = TrackerSyncFixture.start(latencyTemp, 42, 42, SPEC, Map.of(
                "sync.tracker.pageSize", "5", "sync.tracker.parallelism", "2"))) {
            f.local().faults().setLatency(Duration.ofMillis(300));
            f.central().faults().setLatency(Duration.ofMillis(300));
            f.local().requests().clear();
            f.central().requests().clear();

            JobRun run = f.run(TrackerSyncFixture.TRACKER_JOB);

            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            List<RequestLog.Entry> reads = f.local().requests().matching("GET", "/api/tracker/trackedEntities");
            List<RequestLog.Entry> sends = f.central().requests().matching("POST", "/api/tracker");
            long overlapping = reads.stream().filter(r -> sends.stream().anyMatch(s ->
                    r.receivedNanos() < s.answeredNanos() && s.receivedNanos() < r.answeredNanos())).count();
            assertThat(overlapping).as("reads made while a batch was on its way to central").isGreaterThan(0);
            assertThat(f.countInState(TrackerType.TRACKED_ENTITY, "SYNCED")).isEqualTo(40);
            assertThat(TrackerSyncFixture.alive(f.central(), Kind.TRACKED_ENTITY, false))
                    .isEqualTo(TrackerSyncFixture.alive(f.local(), Kind.TRACKED_ENTITY, false));
            Map<String, Integer> imports = new HashMap<>();
            for (RequestLog.Entry p : sends) {
                for (JsonNode te : JSON.readTree(p.bodyText()).path("trackedEntities")) {
                    imports.merge(te.path("trackedEntity").asText(), 1, Integer::sum);
                }
            }
            assertThat(imports.values()).as("each tracked entity in one page").allMatch(n -> n == 1);
        }
    }

    @Test
    void aGatewayTimeoutAfterCentralImportedAPageResendsItsHalvesWithoutDuplicates() throws Exception {
        try (TrackerSyncFixture f = TrackerSyncFixture.start(gatewayTemp, 42, 42, SPEC, Map.of(
                "sync.tracker.pageSize", "20", "sync.tracker.parallelism", "1"))) {
            // the first POST and its two retries are imported by central, then the gateway answers 504
            f.central().faults().on("POST", "/api/tracker").requests(1, 2, 3)
                    .fail(Fault.statusAfterHandling(504));
            f.central().requests().clear();

            JobRun run = f.run(TrackerSyncFixture.TRACKER_JOB);

            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            List<RequestLog.Entry> posts = f.central().requests().matching("POST", "/api/tracker");
            assertThat(posts.subList(0, 3)).allMatch(p -> p.status() == 504);
            assertThat(posts.subList(3, posts.size())).noneMatch(p -> p.status() >= 500);
            // the halves: the same 20 tracked entities, 10 and 10, each answered
            Set<String> first = trackedEntities(posts.get(0));
            Set<String> halves = new HashSet<>(trackedEntities(posts.get(3)));
            halves.addAll(trackedEntities(posts.get(4)));
            assertThat(first).hasSize(20);
            assertThat(halves).isEqualTo(first);
            assertThat(posts.subList(3, 5)).allMatch(p -> p.status() == 200);
            assertThat(f.countInState(TrackerType.TRACKED_ENTITY, "SYNCED")).isEqualTo(40);
            for (Kind kind : List.of(Kind.TRACKED_ENTITY, Kind.ENROLLMENT, Kind.EVENT)) {
                assertThat(TrackerSyncFixture.alive(f.central(), kind, false)).as(kind.name())
                        .isEqualTo(TrackerSyncFixture.alive(f.local(), kind, false));
            }
            try (var c = f.engine.database().dataSource().getConnection();
                 var s = c.prepareStatement("select page_size from adaptive_page_size where stage = 'tracker'");
                 var rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("half the page that timed out").isEqualTo(10);
            }
        }
    }

    private static Set<String> trackedEntities(RequestLog.Entry post) throws Exception {
        Set<String> uids = new HashSet<>();
        for (JsonNode te : JSON.readTree(post.bodyText()).path("trackedEntities")) {
            uids.add(te.path("trackedEntity").asText());
        }
        return uids;
    }
}
