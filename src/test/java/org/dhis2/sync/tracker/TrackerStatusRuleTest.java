package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The job status rule of the tracker stage, 2.42 local to 2.40 central: warnings are accepted (SUCCESS, objects
 * WARNING and settled), a rejected object fails the job and is settled, an object that did not arrive fails the job
 * and is sent again; the summary says both figures apart. A tracked entity central did not confirm stays unsettled
 * even when a child of it was rejected.
 */
class TrackerStatusRuleTest extends TrackerSyncTestBase {

    TrackerStatusRuleTest() {
        super(42, 40, TrackerSyncFixture.TRACKER_JOB, Map.of("sync.tracker.pageSize", "5"));
    }

    private String[] trackedEntities() {
        return TrackerSyncFixture.alive(pair.local(), Kind.TRACKED_ENTITY, false).stream().sorted()
                .toArray(String[]::new);
    }

    private String firstEventOf(String te) {
        String enrollment = pair.local().tracker().children(Kind.ENROLLMENT, te).get(0).uid();
        return pair.local().tracker().children(Kind.EVENT, enrollment).get(0).uid();
    }

    @Test
    @Order(1)
    void aWarningIsAcceptedSettledAndRecorded() throws Exception {
        JobRun first = run();
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);

        String event = TrackerVersionPairsTest.assignUserToOneEvent(pair.local(), false);
        String te = pair.local().tracker().get(Kind.EVENT, event).orElseThrow().text("trackedEntity");
        JobRun warned = run();
        assertThat(warned.status()).as(warned.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(sync.state(TrackerType.EVENT, event)).isEqualTo("WARNING");
        assertThat(sync.state(TrackerType.TRACKED_ENTITY, te)).isEqualTo("WARNING");
        assertThat(sync.conflicts(TrackerType.EVENT, event, warned.id())).isEqualTo(1);
        // counted as settled (accepted), its warning recorded as a conflict
        var outcome = warned.stageOutcomes().stream().filter(o -> o.stage().equals("trackedEntities")).findFirst()
                .orElseThrow(); // relationships have their own outcome
        assertThat(outcome.settled()).isEqualTo(outcome.sent()).isPositive();
        assertThat(outcome.conflicts()).isEqualTo(1);

        long posts = pair.central().requests().count("POST", "/api/tracker");
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().requests().count("POST", "/api/tracker")).as("settled: not sent again")
                .isEqualTo(posts);
    }

    @Test
    @Order(2)
    void aRejectedObjectFailsTheJobWithTheAgreedPhrase() throws Exception {
        String te = trackedEntities()[1];
        String event = firstEventOf(te);
        pair.central().faults().rejectedUids().add(event);
        pair.local().tracker().touch(Kind.EVENT, event);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, te);
        JobRun rejected = run();
        pair.central().faults().clear();
        assertThat(rejected.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(rejected.summary()).contains("1 tracked entities rejected by central (conflicts recorded)")
                .doesNotContain("did not arrive");
        assertThat(sync.state(TrackerType.TRACKED_ENTITY, te)).isEqualTo("ERROR");
    }

    @Test
    @Order(3)
    void anObjectThatDidNotArriveFailsTheJobAndIsSentAgain() throws Exception {
        String[] tes = trackedEntities();
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[2]);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[3]);
        pair.central().faults().on("POST", "/api/tracker").fromRequest(1).fail(Fault.status(500));
        JobRun lost = run();
        pair.central().faults().clear();
        assertThat(lost.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(lost.summary()).contains("2 tracked entities did not arrive (sent again next run)")
                .doesNotContain("rejected by central");
        JobRun again = run();
        assertThat(again.status()).as(again.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(sync.state(TrackerType.TRACKED_ENTITY, tes[2])).isEqualTo("SYNCED");
    }

    @Test
    @Order(4)
    void anUnconfirmedTrackedEntityWithARejectedChildStaysUnsettled() throws Exception {
        String te = trackedEntities()[4];
        String event = firstEventOf(te);
        pair.central().faults().rejectedUids().add(event);
        pair.central().faults().unconfirmedUids().add(te);
        pair.local().tracker().touch(Kind.EVENT, event);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, te);
        JobRun run = run();
        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(sync.state(TrackerType.EVENT, event)).isEqualTo("ERROR");
        assertThat(sync.state(TrackerType.TRACKED_ENTITY, te)).isIn("TO_UPDATE", "TO_POST");
        assertThat(run.summary()).contains("1 tracked entities did not arrive (sent again next run)");

        pair.central().faults().clear();
        long posts = pair.central().requests().count("POST", "/api/tracker");
        JobRun next = run();
        assertThat(pair.central().requests().count("POST", "/api/tracker")).as("the tracked entity is sent again")
                .isGreaterThan(posts);
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(sync.state(TrackerType.TRACKED_ENTITY, te)).isEqualTo("SYNCED");
    }
}
