package org.dhis2.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingDatabase;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run exclusivity across nodes on a real PostgreSQL: two coordinators (or lock holders) on one database stand for two
 * engine nodes, each with its own lock session. A node's death is its session ending (pg_terminate_backend).
 */
class RunLocksTest {

    @TempDir
    static Path temp;
    static BookkeepingDatabase database;
    static DataSource ds;

    @BeforeAll
    static void open() {
        database = BookkeepingDatabase.open(SyncSettings.forValidation(TestEngines.properties(temp.resolve("pg"),
                temp.resolve("routes"), Map.of())));
        ds = database.dataSource();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void emptyRuns() throws Exception {
        sql("delete from job_run");
    }

    @Test
    void aJobAndTheJobsSharingItsStagesRunOnOneNodeAtATimePerPair() {
        RunLocks nodeA = new RunLocks(ds, "default");
        RunLocks nodeB = new RunLocks(ds, "default");
        assertThat(nodeA.tryLock("DATA_SYNC")).isTrue();
        assertThat(nodeB.tryLock("DATA_SYNC")).isFalse();
        assertThat(nodeB.runningElsewhere("DATA_SYNC")).isTrue();
        // META_DATA_SYNC pushes data values too; the events job shares nothing with DATA_SYNC
        assertThat(nodeB.tryLock("META_DATA_SYNC")).isFalse();
        assertThat(nodeB.tryLock("EVENT_PROGRAMS_DATA_SYNC")).isTrue();
        // another pair's DATA_SYNC is another job
        RunLocks otherPair = new RunLocks(ds, "site-b");
        assertThat(otherPair.tryLock("DATA_SYNC")).isTrue();

        nodeA.release("DATA_SYNC");
        assertThat(nodeB.runningElsewhere("DATA_SYNC")).isFalse();
        // the refused META_DATA_SYNC start kept none of its locks: only the events stage is still held (by B)
        RunLocks nodeC = new RunLocks(ds, "default");
        assertThat(nodeC.tryLock("META_DATA_SYNC")).isFalse();
        nodeB.release("EVENT_PROGRAMS_DATA_SYNC");
        assertThat(nodeC.tryLock("META_DATA_SYNC")).isTrue();
        assertThat(nodeA.tryLock("DATA_SYNC")).isFalse();
        nodeC.release("META_DATA_SYNC");
        otherPair.release("DATA_SYNC");
        assertThat(nodeA.tryLock("DATA_SYNC")).isTrue();
        nodeA.release("DATA_SYNC");
    }

    @Test
    void runNowOnAnotherNodeIsRefusedWhileTheJobRunsAnywhereAndAllowedAfterwards() throws Exception {
        JobCoordinator nodeA = new JobCoordinator(ds, "default");
        JobCoordinator nodeB = new JobCoordinator(ds, "default");
        JobRun run = nodeA.begin("DATA_SYNC", "MANUAL");
        assertThatThrownBy(() -> nodeB.begin("DATA_SYNC", "MANUAL"))
                .isInstanceOf(JobAlreadyRunningException.class)
                .hasMessage("DATA_SYNC skipped: still running since " + run.started() + " on " + RunLocks.NODE);
        assertThatThrownBy(() -> nodeB.begin("META_DATA_SYNC", "MANUAL"))
                .isInstanceOf(JobAlreadyRunningException.class)
                .hasMessageContaining("DATA_SYNC, which pushes the same data, is running since");
        assertThat(count("select count(*) from job_run")).as("refused starts record no run").isEqualTo(1);
        assertThat(nodeB.runningElsewhere("DATA_SYNC")).isTrue();

        // a run in progress on another node is not mistaken for one a crash left RUNNING
        assertThat(new JobHistory(ds, "default").lastEnded("DATA_SYNC")).isEmpty();
        nodeA.finish(run);
        assertThat(new JobHistory(ds, "default").lastEnded("DATA_SYNC")).hasValueSatisfying(e ->
                assertThat(e.status()).isEqualTo("SUCCESS"));
        assertThat(nodeB.lastEndedInCluster("DATA_SYNC")).hasValueSatisfying(e -> {
            assertThat(e.started()).isEqualTo(run.started());
            assertThat(e.finished()).isEqualTo(run.finished());
        });
        JobRun onB = nodeB.begin("DATA_SYNC", "MANUAL");
        assertThat(nodeA.runningElsewhere("DATA_SYNC")).isTrue();
        nodeB.finish(onB);
        assertThat(count("select count(*) from job_run where status = 'SUCCESS' and node = '" + RunLocks.NODE + "'"))
                .isEqualTo(2);
    }

    @Test
    void aFireOfACronScheduleStartsOneRunInTheCluster() {
        JobCoordinator nodeA = new JobCoordinator(ds, "default");
        JobCoordinator nodeB = new JobCoordinator(ds, "default");
        Instant due = Instant.parse("2026-01-01T02:00:00Z");
        nodeA.finish(nodeA.begin("DATA_SYNC", "SCHEDULE", due));
        assertThatThrownBy(() -> nodeB.begin("DATA_SYNC", "SCHEDULE", due))
                .isInstanceOf(JobAlreadyRunningException.class)
                .hasMessage("DATA_SYNC skipped: the run due at " + due + " was started by " + RunLocks.NODE);
        // the refused start let go of its locks
        nodeB.finish(nodeB.begin("DATA_SYNC", "SCHEDULE", due.plusSeconds(1)));
    }

    @Test
    void theRunsOfANodeThatDiedAreFreedAndClosedAsFailed() throws Exception {
        JobCoordinator dying = new JobCoordinator(ds, "default");
        JobRun orphan = dying.begin("DATA_SYNC", "SCHEDULE");
        JobRun events = dying.begin("EVENT_PROGRAMS_DATA_SYNC", "SCHEDULE");
        // a META_DATA_SYNC row of an even older crash (it shares the data value stage)
        sql("insert into job_run (job_id, job_type, status, started, node) values"
                + " ('old-crash', 'META_DATA_SYNC', 'RUNNING', now() - interval '1 hour', '4711@gone')");
        // (a JobHistory made now stands for a node started after the dying one's runs began)
        Thread.sleep(5);
        JobHistory history = new JobHistory(ds, "default");
        assertThat(history.lastEnded("DATA_SYNC")).as("running on a live node").isEmpty();
        JobCoordinator survivor = new JobCoordinator(ds, "default");
        assertThatThrownBy(() -> survivor.begin("DATA_SYNC", "SCHEDULE"))
                .isInstanceOf(JobAlreadyRunningException.class);

        // the dying node's lock session ends, as when its process is killed: the one session holding advisory locks
        // (the survivor's refused start holds none; its idle lock session may still be open)
        assertThat(count("select count(*) from (select pg_terminate_backend(pid) from (select distinct pid"
                + " from pg_locks where locktype = 'advisory' and granted) holders) t")).isEqualTo(1);
        // the dead node's run is not running any more: it counts as FAILED, before anybody closed it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> history.lastEnded("DATA_SYNC").map(JobHistory.EndedRun::status).orElse(""),
                        "FAILED"::equals);
        JobRun taken = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(JobAlreadyRunningException.class)
                .until(() -> survivor.begin("DATA_SYNC", "SCHEDULE"), r -> r != null);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select job_id, status, summary, finished is not null from job_run"
                     + " order by id")) {
            Map<String, String> status = new java.util.HashMap<>();
            while (rs.next()) {
                status.put(rs.getString(1), rs.getString(2) + ": " + rs.getString(3) + " " + rs.getBoolean(4));
            }
            assertThat(status.get(orphan.jobId())).startsWith("FAILED: The node running it stopped before"
                    + " the run ended").endsWith("true");
            assertThat(status.get("old-crash")).startsWith("FAILED: The node running it stopped");
            // the events job shares no stage with DATA_SYNC: its row is left for a start of its own to judge
            assertThat(status.get(events.jobId())).startsWith("RUNNING");
            assertThat(status.get(taken.jobId())).startsWith("RUNNING");
        }
        survivor.finish(taken);
        assertThat(count("select count(*) from job_run where status = 'RUNNING'")).isEqualTo(1);
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long count(String query) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
