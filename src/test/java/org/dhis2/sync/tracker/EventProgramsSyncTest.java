package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dhis2.sync.engine.ManagementEndpoints;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** EVENT_PROGRAMS_DATA_SYNC end to end: a 2.40 local pushing to a 2.42 central over real HTTP. */
class EventProgramsSyncTest extends TrackerSyncTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    EventProgramsSyncTest() {
        super(40, 42, TrackerSyncFixture.EVENTS_JOB, Map.of("sync.events.pageSize", "7"));
    }

    static Set<String> events(Dhis2Instance instance, boolean deleted) {
        return deleted ? instance.tracker().query(Kind.EVENT, null, null,
                        i -> i.deleted() && i.text("enrollment") == null, false, 0, -1, false)
                .items().stream().map(Item::uid).collect(Collectors.toSet())
                : TrackerSyncFixture.alive(instance, Kind.EVENT, true);
    }

    String state(String uid) throws Exception {
        return sync.state(TrackerType.EVENT, uid);
    }

    @Test
    @Order(1)
    void firstRunPushesEventsWithoutSkipSyncValuesAndSecondRunSendsNothing() throws Exception {
        JobRun first = run();
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(events(pair.central(), false)).isEqualTo(events(pair.local(), false)).isNotEmpty();
        // the last data element of each stage is flagged skipSynchronization on local
        Set<String> skipped = pair.local().catalog().list("programStages").stream()
                .map(s -> s.path("programStageDataElements")).map(a -> a.get(a.size() - 1))
                .map(p -> p.path("dataElement").path("id").asText()).collect(Collectors.toSet());
        for (String uid : events(pair.central(), false)) {
            Item ev = pair.central().tracker().get(Kind.EVENT, uid).orElseThrow();
            ev.body().path("dataValues").forEach(dv ->
                    assertThat(skipped).doesNotContain(dv.path("dataElement").asText()));
        }
        pair.central().requests().matching("POST", "/api/tracker").forEach(r ->
                skipped.forEach(de -> assertThat(r.bodyText()).doesNotContain(de)));

        long posts = pair.central().requests().count("POST", "/api/tracker");
        JobRun second = run();
        assertThat(second.status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().requests().count("POST", "/api/tracker")).isEqualTo(posts);

        // /observe/metrics: every event central received was counted once, as sent and settled, in two stage runs
        Set<String> received = new HashSet<>();
        pair.central().requests().matching("POST", "/api/tracker").forEach(r -> {
            try {
                JSON.readTree(r.bodyText()).path("events").forEach(e -> received.add(e.path("event").asText()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String metrics = ManagementEndpoints.get(sync.engine, "/observe/metrics").body();
        assertThat(ManagementEndpoints.metric(metrics, "dhis2sync_objects_sent_total", "stage", "events"))
                .isEqualTo(received.size()).isPositive();
        assertThat(ManagementEndpoints.metric(metrics, "dhis2sync_objects_settled_total", "stage", "events"))
                .isEqualTo(received.size());
        assertThat(ManagementEndpoints.metric(metrics, "dhis2sync_stage_duration_seconds_count", "stage", "events"))
                .isEqualTo(2);
        assertThat(ManagementEndpoints.metric(metrics, "dhis2sync_job_runs_total", "job", "EVENT_PROGRAMS_DATA_SYNC",
                "status", "SUCCESS")).isEqualTo(2);
    }

    @Test
    @Order(2)
    void updatesAndDeletesPropagate() {
        String[] alive = events(pair.local(), false).stream().sorted().toArray(String[]::new);
        Item changed = pair.local().tracker().get(Kind.EVENT, alive[0]).orElseThrow();
        var body = changed.toJson();
        body.put("status", "ACTIVE");
        body.put("occurredAt", "2024-06-01T00:00:00.000");
        pair.local().tracker().put(Kind.EVENT, alive[0], body);
        pair.local().tracker().delete(Kind.EVENT, alive[1]);

        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().tracker().get(Kind.EVENT, alive[0]).orElseThrow().text("occurredAt"))
                .isEqualTo("2024-06-01T00:00:00.000");
        assertThat(pair.central().tracker().get(Kind.EVENT, alive[1]).orElseThrow().deleted()).isTrue();
        assertThat(events(pair.central(), false)).isEqualTo(events(pair.local(), false));
    }

    @Test
    @Order(3)
    void rejectedEventIsErrorWithConflictOthersSyncedThenResentAfterFix() throws Exception {
        String[] alive = events(pair.local(), false).stream().sorted().toArray(String[]::new);
        pair.central().faults().rejectedUids().add(alive[2]);
        pair.local().tracker().touch(Kind.EVENT, alive[2]);
        pair.local().tracker().touch(Kind.EVENT, alive[3]);
        pair.local().tracker().touch(Kind.EVENT, alive[4]);

        JobRun rejected = run();
        assertThat(rejected.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(state(alive[2])).isEqualTo("ERROR");
        assertThat(state(alive[3])).isEqualTo("SYNCED");
        assertThat(state(alive[4])).isEqualTo("SYNCED");
        try (Connection c = sync.engine.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select error_code, value, run_id from import_conflict where uid = '"
                     + alive[2] + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("E1000");
            assertThat(rs.getLong(3)).isEqualTo(rejected.id());
        }
        // not re-sent while unchanged
        long posts = pair.central().requests().count("POST", "/api/tracker");
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().requests().count("POST", "/api/tracker")).isEqualTo(posts);

        pair.central().faults().rejectedUids().remove(alive[2]);
        pair.local().tracker().touch(Kind.EVENT, alive[2]);
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(state(alive[2])).isEqualTo("SYNCED");
    }

    @Test
    @Order(4)
    void transientFaultsLoseNothingAndACleanRunConverges() {
        String[] alive = events(pair.local(), false).stream().sorted().toArray(String[]::new);
        for (int i = 0; i < 20; i++) {
            var body = pair.local().tracker().get(Kind.EVENT, alive[i]).orElseThrow().toJson();
            body.put("status", i % 2 == 0 ? "COMPLETED" : "ACTIVE");
            body.put("occurredAt", "2024-07-0" + (1 + i % 9) + "T00:00:00.000");
            pair.local().tracker().put(Kind.EVENT, alive[i], body);
        }
        // page 2 fails past the retries (3 attempts), page 3 gets a reset then succeeds, page 4 a malformed body
        pair.central().faults().on("POST", "/api/tracker").requests(2, 3, 4).fail(Fault.status(503));
        pair.central().faults().on("POST", "/api/tracker").requests(6).fail(Fault.resetMidBody());
        pair.central().faults().on("POST", "/api/tracker").requests(8).fail(Fault.malformedBody());
        JobRun faulty = run();
        assertThat(faulty.status()).isEqualTo(JobRun.Status.FAILED);
        // 20 changed events in pages of 7: page 2 failed past its retries (3 attempts), the reset was retried
        assertThat(faulty.summary()).contains("events did not arrive (sent again next run)");

        pair.central().faults().clear();
        JobRun clean = run();
        assertThat(clean.status()).as(clean.summary()).isEqualTo(JobRun.Status.SUCCESS);
        for (int i = 0; i < 20; i++) {
            assertThat(pair.central().tracker().get(Kind.EVENT, alive[i]).orElseThrow().text("occurredAt"))
                    .isEqualTo("2024-07-0" + (1 + i % 9) + "T00:00:00.000");
        }
        assertThat(events(pair.central(), false)).isEqualTo(events(pair.local(), false));
    }
}
