package org.dhis2.sync.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingDatabase;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.RunLocks;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine nodes ({@code dhis2-sync run}, each in its own JVM) on one PostgreSQL (started here, used by both via
 * sync.db.url), DATA_SYNC on a one-second cron, against one sandbox pair. Quartz's clustered store gives each fire
 * to one node; the run locks keep a job (and the jobs sharing its stages) to one node at a time; a killed node's
 * schedule and runs are taken over. About 90 s (three engine starts, a 30 s schedule window, a failover).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class TwoNodesTest {

    record Run(long id, String jobId, String trigger, String status, String summary, String node, Instant started,
               Instant finished, Instant scheduledFire) {
    }

    SandboxPair pair;
    BookkeepingDatabase database;
    DataSource ds;
    EngineProcess nodeA;
    EngineProcess nodeB;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41));
        SandboxGenerator.populate(pair, GeneratorSpec.small());
        // the cluster's PostgreSQL: an embedded one of this JVM, which both nodes reach over TCP
        database = BookkeepingDatabase.open(SyncSettings.forValidation(TestEngines.properties(temp.resolve("pg"),
                temp.resolve("routes"), Map.of())));
        ds = database.dataSource();
        Map<String, String> node = Map.of("sync.db.url", ((HikariDataSource) ds).getJdbcUrl(),
                "sync.db.username", "postgres", "sync.cluster.checkinIntervalMillis", "1000",
                "sync.jobs.DATA_SYNC.enabled", "true", "sync.jobs.DATA_SYNC.cron", "* * * * * ?",
                "sync.jobs.DATA_SYNC.delaySeconds", "",
                "sync.dataValues.pageSize", "50", "sync.completeRegistrations.pageSize", "50");
        nodeA = new EngineProcess(temp.resolve("a"), pair.localServer().url(), pair.centralServer().url(), node);
        nodeB = new EngineProcess(temp.resolve("b"), pair.localServer().url(), pair.centralServer().url(), node);
        startBoth();
    }

    @AfterAll
    void stop() throws Exception {
        for (EngineProcess n : new EngineProcess[] {nodeA, nodeB}) {
            if (n != null) {
                n.close();
                // what went wrong or was odd on the node, for the test report
                n.fullLog().lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
                        .forEach(l -> System.out.println("node log: " + l));
            }
        }
        if (database != null) {
            database.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    /** A load balancer may send the browser to any node: a console login on one is known on the other. */
    @Test
    @Order(0)
    void aConsoleLoginOnOneNodeHoldsOnTheOtherAndLogoutThereEndsIt() throws Exception {
        HttpResponse<String> login = nodeA.sendWithout(java.net.http.HttpRequest.newBuilder(nodeA.uri("/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + EngineProcess.TOKEN)));
        assertThat(login.headers().firstValue("Location")).hasValue("/console/");
        List<String> cookies = login.headers().allValues("Set-Cookie");
        String session = org.dhis2.sync.console.ConsoleSessions.COOKIE + "=" + value(cookies,
                org.dhis2.sync.console.ConsoleSessions.COOKIE);
        String csrf = value(cookies, org.dhis2.sync.console.ConsoleSessions.CSRF_COOKIE);
        assertThat(nodeB.sendWithout(java.net.http.HttpRequest.newBuilder(nodeB.uri("/api/jobs"))
                .header("Cookie", session)).statusCode()).isEqualTo(200);
        assertThat(nodeB.sendWithout(java.net.http.HttpRequest.newBuilder(nodeB.uri("/console/logout"))
                .header("Cookie", session).header(org.dhis2.sync.console.ConsoleSessions.CSRF_HEADER, csrf)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(204);
        assertThat(nodeA.sendWithout(java.net.http.HttpRequest.newBuilder(nodeA.uri("/api/jobs"))
                .header("Cookie", session)).statusCode()).isEqualTo(401);
    }

    private static String value(List<String> setCookies, String name) {
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).orElseThrow();
    }

    @Test
    @Order(1)
    void aRunNowOnOneNodeIsRefusedWhileTheJobOrOneSharingItsStagesRunsOnTheOther() throws Exception {
        // the tracker push (no stage in common with the DATA_SYNC schedule) hangs 3 s at central
        pair.central().faults().on("POST", "/api/tracker").fromRequest(1).fail(Fault.latency(Duration.ofSeconds(3)));
        try {
            String onA = nodeA.execute("TRACKER_PROGRAMS_DATA_SYNC");
            HttpResponse<String> same = nodeB.executeAnswer("TRACKER_PROGRAMS_DATA_SYNC");
            assertThat(same.statusCode()).as(same.body()).isEqualTo(409);
            assertThat(same.body()).contains("TRACKER_PROGRAMS_DATA_SYNC skipped: still running since")
                    .contains(" on " + nodeA.pid() + "@");
            // the download writes the tracker push's bookkeeping: refused too, on the other node
            HttpResponse<String> sharing = nodeB.executeAnswer("TRACKER_DOWNLOAD");
            assertThat(sharing.statusCode()).as(sharing.body()).isEqualTo(409);
            assertThat(sharing.body()).contains("TRACKER_PROGRAMS_DATA_SYNC, which pushes the same data");
            // node B shows A's run: running in its job list, and its live tree (as A last saved it)
            com.fasterxml.jackson.databind.JsonNode jobsOnB = nodeB.getJson("/api/jobs");
            com.fasterxml.jackson.databind.JsonNode trackerOnB = null;
            for (com.fasterxml.jackson.databind.JsonNode j : jobsOnB) {
                if (j.path("jobType").asText().equals("TRACKER_PROGRAMS_DATA_SYNC")) {
                    trackerOnB = j;
                }
            }
            assertThat(trackerOnB).as(jobsOnB.toString()).isNotNull();
            assertThat(trackerOnB.path("lastExecutedStatus").asText()).as(trackerOnB.toString()).isEqualTo("RUNNING");
            assertThat(trackerOnB.path("running").asBoolean()).isTrue();
            // A saves its tree at every change: its stages show on B once A has begun one
            com.fasterxml.jackson.databind.JsonNode treeOnB = await().atMost(Duration.ofSeconds(10))
                    .until(() -> nodeB.getJson("/api/scheduling/running/TRACKER_PROGRAMS_DATA_SYNC"),
                            tree -> tree.path(0).path("stages").size() > 0);
            assertThat(treeOnB.isArray()).as(treeOnB.toString()).isTrue();
            assertThat(treeOnB.get(0).path("jobId").asText()).as(treeOnB.toString()).isEqualTo(onA);
            assertThat(treeOnB.get(0).path("stages").size()).as(treeOnB.toString()).isPositive();
            assertThat(nodeA.awaitRun("TRACKER_PROGRAMS_DATA_SYNC", onA, Duration.ofMinutes(1)).path("status")
                    .asText()).isEqualTo("SUCCESS");
        } finally {
            pair.central().faults().clear();
        }
        // once it ended there, the other node runs it
        assertThat(nodeB.run("TRACKER_PROGRAMS_DATA_SYNC").path("status").asText()).isEqualTo("SUCCESS");
        List<Run> runs = runs("TRACKER_PROGRAMS_DATA_SYNC", Instant.EPOCH);
        assertThat(runs).extracting(Run::node).containsExactly(node(nodeA), node(nodeB));
        assertThat(runs("TRACKER_DOWNLOAD", Instant.EPOCH)).isEmpty();
    }

    @Test
    @Order(2)
    void everyCronFireRunsOnceInTheClusterAndTheScheduleGoesOnWhenTheNodeRunningItStops() throws Exception {
        Instant from = Instant.now();
        Thread.sleep(12_000);
        // stop (SIGTERM) the node that takes the fires: the other one takes the schedule over
        Run last = runs("DATA_SYNC", from).stream().reduce((x, y) -> y).orElseThrow();
        EngineProcess stopped = last.node().equals(node(nodeA)) ? nodeA : nodeB;
        EngineProcess left = stopped == nodeA ? nodeB : nodeA;
        stopped.terminate();
        assertThat(stopped.awaitExit(Duration.ofSeconds(60))).isTrue();
        Instant stoppedAt = Instant.now();
        Thread.sleep(18_000);
        Instant to = Instant.now();

        List<Run> runs = runs("DATA_SYNC", from).stream().filter(r -> r.started().isBefore(to)).toList();
        List<Run> scheduled = runs.stream().filter(r -> r.trigger().equals("SCHEDULE")).toList();
        Map<String, Long> perNode = scheduled.stream().collect(Collectors.groupingBy(Run::node, Collectors.counting()));
        System.out.printf("DATA_SYNC on a 1 s cron for %d s: %d runs, per node %s, stopped %s at %s%n",
                Duration.between(from, to).toSeconds(), scheduled.size(), perNode, node(stopped), stoppedAt);
        // one run per fire: no fire time twice, and no node was turned away by job_run's one-run-per-fire index
        assertThat(scheduled).allMatch(r -> r.scheduledFire() != null);
        assertThat(scheduled.stream().map(Run::scheduledFire).distinct().count()).isEqualTo(scheduled.size());
        assertThat(nodeA.fullLog() + nodeB.fullLog()).doesNotContain("was started by");
        // both nodes took fires; the one left went on after the other stopped
        assertThat(perNode.keySet()).containsExactlyInAnyOrder(node(nodeA), node(nodeB));
        assertThat(scheduled).filteredOn(r -> r.started().isAfter(stoppedAt)).isNotEmpty()
                .allMatch(r -> r.node().equals(node(left)));
        assertThat(scheduled.size()).as("fires that ran in %s s", Duration.between(from, to).toSeconds())
                .isGreaterThanOrEqualTo(10);
        // never two runs of DATA_SYNC at once, whichever node ran them
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i - 1).finished()).as("run %s ended", runs.get(i - 1)).isNotNull();
            assertThat(runs.get(i).started()).as("%s starts after %s ended", runs.get(i), runs.get(i - 1))
                    .isAfterOrEqualTo(runs.get(i - 1).finished());
        }
        assertThat(runs).allMatch(r -> !r.status().equals("FAILED"));
    }

    @Test
    @Order(3)
    void aNodeKilledMidRunIsTakenOverAndCentralEndsWithExactlyLocalsValues() throws Exception {
        for (EngineProcess n : List.of(nodeA, nodeB)) {
            if (!n.alive()) {
                n.start(); // the node stopped before
            }
        }
        // many changed values, pages of 50 that central takes 700 ms each: a run is in flight for seconds
        AtomicReference<EngineProcess> killed = new AtomicReference<>();
        AtomicReference<Long> deadRun = new AtomicReference<>();
        Runnable killTheRunningNode = () -> {
            Map.Entry<Long, String> running = running("DATA_SYNC");
            String runner = running == null ? null : running.getValue();
            EngineProcess victim = node(nodeA).equals(runner) ? nodeA : node(nodeB).equals(runner) ? nodeB : null;
            if (victim != null && killed.compareAndSet(null, victim)) {
                deadRun.set(running.getKey());
                victim.killNow();
            }
        };
        pair.central().faults().on("POST", "/api/dataValueSets").requests(3)
                .fail(Fault.changeAfterAnswer(killTheRunningNode))
                .on("POST", "/api/dataValueSets").fromRequest(1).fail(Fault.latency(Duration.ofMillis(700)));
        List<AggregateStore.DataValue> values = pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted()).toList();
        for (AggregateStore.DataValue v : values) {
            pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), String.valueOf(70_000 + values.indexOf(v)));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> killed.get() != null);
            EngineProcess victim = killed.get();
            EngineProcess survivor = victim == nodeA ? nodeB : nodeA;
            victim.awaitExit();
            Instant killedAt = Instant.now();
            long dead = deadRun.get();
            // the survivor takes the schedule over (Quartz frees the dead node's trigger) and sends the rest
            Run takeover = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> runs("DATA_SYNC", killedAt).stream().filter(r -> "SUCCESS".equals(r.status()))
                            .findFirst().orElse(null), r -> r != null);
            System.out.printf("killed %s during run %d; %s ran the fire of %s at %s (%d ms after the kill)%n",
                    node(victim), dead, takeover.node(), takeover.scheduledFire(), takeover.started(),
                    Duration.between(killedAt, takeover.started()).toMillis());
            assertThat(takeover.node()).isEqualTo(node(survivor));
            assertThat(takeover.trigger()).isEqualTo("SCHEDULE");
            Run closed = runs("DATA_SYNC", Instant.EPOCH).stream().filter(r -> r.id() == dead).findFirst()
                    .orElseThrow();
            assertThat(closed.status()).isEqualTo("FAILED");
            assertThat(closed.summary()).startsWith("The node running it stopped before the run ended")
                    .contains("on " + node(survivor));
            assertThat(closed.finished()).isAfter(killedAt);
            assertThat(KillPointsTest.values(pair.central())).as("central after the takeover")
                    .isEqualTo(KillPointsTest.values(pair.local()))
                    .containsValue("70000");
        } finally {
            pair.central().faults().clear();
        }
    }

    private void startBoth() throws Exception {
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> start(nodeA));
        start(nodeB);
        a.join();
    }

    private static void start(EngineProcess node) {
        try {
            node.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** job_run.node of a node: its JVM's name, pid@host (every node here runs on this host). */
    private static String node(EngineProcess p) {
        return p.pid() + RunLocks.NODE.substring(RunLocks.NODE.indexOf('@'));
    }

    /** The id and node of the job's run in progress. */
    private Map.Entry<Long, String> running(String jobType) {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("select id, node from job_run where job_type = ?"
                     + " and status = 'RUNNING' order by started desc limit 1")) {
            s.setString(1, jobType);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Map.entry(rs.getLong(1), rs.getString(2)) : null;
            }
        } catch (Exception e) {
            return null;
        }
    }

    private List<Run> runs(String jobType, Instant since) throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("select id, job_id, trigger, status, summary, node, started,"
                     + " finished, scheduled_fire from job_run where job_type = ? and started >= ? order by started")) {
            s.setString(1, jobType);
            s.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), instant(rs, 8),
                            instant(rs, 9)));
                }
            }
        }
        return runs;
    }

    private static Instant instant(ResultSet rs, int column) throws java.sql.SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
