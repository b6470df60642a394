package org.dhis2.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.dhis2.sync.admin.AdminQueries;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Schedules, run-now and the job MBeans on a real engine (embedded PostgreSQL) syncing DATA_SYNC against a sandbox
 * pair. A slow local instance (added latency per request) makes a run last a few seconds. The tests share one
 * bookkeeping database (one initdb) and look only at the runs of their own test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobSchedulingTest {

    @TempDir
    static Path temp;
    static SandboxPair pair;
    static int engines;
    static Instant since;
    final List<Engine> started = new ArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    record Run(String jobId, String trigger, String status, Instant started, Instant finished) {
    }

    @BeforeAll
    static void startPair() throws Exception {
        pair = SandboxPair.start(Dhis2Version.of(40), Dhis2Version.of(40));
        SandboxGenerator.populate(pair, GeneratorSpec.small());
    }

    @AfterAll
    static void stopPair() {
        pair.close();
    }

    @BeforeEach
    void markStart() {
        since = Instant.now();
    }

    @AfterEach
    void stopEngines() {
        started.forEach(Engine::close);
        root.detachAppender(log);
        pair.local().faults().clear();
        pair.central().faults().clear();
    }

    Engine engine(String dataDir, Map<String, String> overrides) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(
                "local.url", pair.localServer().url(), "central.url", pair.centralServer().url(),
                "sync.availability.attempts", "2", "sync.availability.delayMillis", "1",
                "sync.dataValues.pageSize", "50", "sync.completeRegistrations.pageSize", "50"));
        props.putAll(overrides);
        if (!log.isStarted()) {
            log.start();
            root.addAppender(log);
        }
        Engine engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve(dataDir),
                TestEngines.routesWith(temp.resolve("routes" + engines++)), props)));
        started.add(engine);
        return engine;
    }

    static JobOperations control(Engine engine) {
        return engine.context().getRegistry().lookupByNameAndType("jobControl", JobOperations.class);
    }

    static List<Run> runs(Engine engine, String jobType) throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select job_id, trigger, status, started, finished from job_run"
                     + " where job_type = ? and started >= ? order by started")) {
            s.setString(1, jobType);
            s.setTimestamp(2, java.sql.Timestamp.from(since));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.add(new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return runs;
    }

    static Run run(Engine engine, String jobId) throws Exception {
        return runs(engine, "DATA_SYNC").stream().filter(r -> r.jobId().equals(jobId)).findFirst().orElseThrow();
    }

    static Run awaitEnd(Engine engine, String jobId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> run(engine, jobId), r -> r.finished() != null);
    }

    /** The log lines containing the text; read under the appender's lock, as the engine logs meanwhile. */
    List<String> warnings(String containing) {
        List<ILoggingEvent> lines;
        synchronized (log) {
            lines = List.copyOf(log.list);
        }
        return lines.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(containing)).toList();
    }

    /** Run-now, retried while a scheduled run is in progress. */
    static String executeWhenIdle(Engine engine, String trigger) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                return control(engine).execute("DATA_SYNC", trigger);
            } catch (JobAlreadyRunningException e) {
                return null;
            }
        }, id -> id != null);
    }

    static void assertNoOverlap(List<Run> runs) {
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).started()).as("run %d starts after run %d ended", i, i - 1)
                    .isAfterOrEqualTo(runs.get(i - 1).finished());
        }
    }

    @Test
    @Order(3)
    void cronScheduleRunsTheJobAndSkipsFiresWhileItRuns() throws Exception {
        Engine engine = engine("pg", Map.of("sync.jobs.DATA_SYNC.enabled", "true",
                "sync.jobs.DATA_SYNC.cron", "* * * * * ?", "sync.jobs.DATA_SYNC.delaySeconds", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> runs(engine, "DATA_SYNC").stream()
                .anyMatch(r -> r.trigger().equals("SCHEDULE") && "SUCCESS".equals(r.status())));
        JobOverview overview = control(engine).overview("DATA_SYNC");
        assertThat(overview.enabled()).isTrue();
        assertThat(overview.schedule()).isEqualTo("* * * * * ?");
        assertThat(overview.nextExecutionTime()).isBetween(Instant.now().minusSeconds(1), Instant.now().plusSeconds(2));

        // a slow local instance: a run lasts seconds, the cron fires every second
        pair.local().faults().setLatency(Duration.ofMillis(500));
        String manual = executeWhenIdle(engine, "MANUAL");
        Run manualRun = awaitEnd(engine, manual);
        assertThat(Duration.between(manualRun.started(), manualRun.finished())).isGreaterThan(Duration.ofSeconds(2));
        // let scheduled runs go on a little, then stop the schedule (its route; a run in progress ends first)
        await().atMost(Duration.ofSeconds(30)).until(() -> runs(engine, "DATA_SYNC").stream()
                .anyMatch(r -> r.trigger().equals("SCHEDULE") && r.started().isAfter(manualRun.finished())
                        && r.finished() != null));
        // a fire Quartz held back while that scheduled run went on comes after it, is recognised by its due time and
        // skipped (waited for: under load the held fire can come later than the run's end is seen here)
        await().atMost(Duration.ofSeconds(30)).until(() -> !warnings("DATA_SYNC schedule skipped: the run due at")
                .isEmpty());
        engine.context().getRouteController().stopRoute("default.schedule.DATA_SYNC");
        await().atMost(Duration.ofSeconds(30)).until(() -> control(engine).overview("DATA_SYNC").running(), r -> !r);

        List<Run> runs = runs(engine, "DATA_SYNC");
        assertNoOverlap(runs);
        assertThat(runs).filteredOn(r -> r.started().isAfter(manualRun.started())
                && r.started().isBefore(manualRun.finished())).isEmpty();
        assertThat(runs).filteredOn(r -> r.trigger().equals("SCHEDULE")).hasSizeGreaterThanOrEqualTo(2);
        // fires during the run-now were refused and logged, never queued: no burst of runs after it ended
        assertThat(warnings("DATA_SYNC skipped: still running since " + manualRun.started().toString().substring(0, 19)))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(runs).filteredOn(r -> !r.started().isBefore(manualRun.finished())
                && r.started().isBefore(manualRun.finished().plusMillis(900))).hasSizeLessThanOrEqualTo(1);
        assertThat(log.list).noneMatch(e -> e.getLevel().toString().equals("ERROR"));
    }

    @Test
    @Order(2)
    void delayScheduleStartsOnlyAfterThePreviousRunEnded() throws Exception {
        pair.local().faults().setLatency(Duration.ofMillis(100));
        Engine engine = engine("pg", Map.of("sync.jobs.DATA_SYNC.enabled", "true",
                "sync.jobs.DATA_SYNC.delaySeconds", "1"));
        Instant engineStarted = Instant.now();
        assertThat(control(engine).overview("DATA_SYNC").schedule()).isEqualTo("delay:1");
        await().atMost(Duration.ofSeconds(60)).until(() -> runs(engine, "DATA_SYNC").stream()
                .filter(r -> r.finished() != null).count() >= 3);
        List<Run> runs = runs(engine, "DATA_SYNC");
        assertThat(runs).allMatch(r -> r.trigger().equals("SCHEDULE"));
        assertThat(runs.get(0).started()).isAfterOrEqualTo(engineStarted.plusMillis(900));
        for (int i = 1; i < runs.size(); i++) {
            assertThat(Duration.between(runs.get(i - 1).finished(), runs.get(i).started()))
                    .as("pause before run %d", i).isBetween(Duration.ofMillis(999), Duration.ofMillis(3000));
        }
        // idle between runs: the next run is due one second after the last one ended
        JobOverview idle = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> control(engine).overview("DATA_SYNC"), o -> !o.running() && o.nextExecutionTime() != null);
        assertThat(idle.nextExecutionTime()).isBetween(idle.lastExecuted(), Instant.now().plusMillis(1000));
    }

    @Test
    @Order(1)
    void overviewRunNowAndJmxTellTheTruthAcrossARestart() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName dataSync = new ObjectName("dhis2sync:type=jobs,name=DATA_SYNC");
        Engine engine = engine("pg", Map.of());
        JobOperations control = control(engine);
        assertThat(control.overview()).extracting(JobOverview::jobType).containsExactly(
                "DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC", "META_DATA_SYNC",
                "TRACKER_DOWNLOAD", "RESERVED_VALUES");
        assertThat(control.overview()).allSatisfy(o -> {
            assertThat(o.lastExecutedStatus()).isEqualTo("NOT_STARTED");
            assertThat(o.enabled()).isFalse();
            assertThat(o.nextExecutionTime()).isNull();
            assertThat(o.lastExecuted()).isNull();
        });
        assertThat(jmx.getAttribute(dataSync, "LastExecutedStatus")).isEqualTo("NOT_STARTED");
        assertThat(jmx.getAttribute(dataSync, "Schedule")).isEqualTo("delay:300");
        assertThat(jmx.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null))
                .anyMatch(n -> n.getKeyProperty("name").contains("job.DATA_SYNC"));

        // run-now: running at once; a second run-now is refused
        pair.local().faults().setLatency(Duration.ofMillis(150));
        String first = control.execute("DATA_SYNC", "MANUAL");
        assertThat(control.overview("DATA_SYNC").lastExecutedStatus()).isEqualTo("RUNNING");
        assertThat(jmx.getAttribute(dataSync, "Running")).isEqualTo(true);
        assertThatThrownBy(() -> control.execute("DATA_SYNC", "MANUAL"))
                .isInstanceOf(JobAlreadyRunningException.class).hasMessageContaining("still running since");
        // META_DATA_SYNC pushes the same data values: refused while DATA_SYNC runs, and no run of it recorded
        assertThatThrownBy(() -> control.execute("META_DATA_SYNC", "MANUAL"))
                .isInstanceOf(JobAlreadyRunningException.class)
                .hasMessageContaining("DATA_SYNC, which pushes the same data, is running since");
        assertThat(runs(engine, "META_DATA_SYNC")).isEmpty();
        assertThatThrownBy(() -> control.execute("NO_SUCH_JOB", "MANUAL")).isInstanceOf(IllegalArgumentException.class);
        Run success = awaitEnd(engine, first);
        assertThat(success.status()).isEqualTo("SUCCESS");
        assertThat(success.trigger()).isEqualTo("MANUAL");
        assertThat(runs(engine, "DATA_SYNC")).hasSize(1);
        JobOverview ok = control.overview("DATA_SYNC");
        assertThat(ok.lastExecutedStatus()).isEqualTo("SUCCESS");
        assertThat(ok.running()).isFalse();
        assertThat(ok.lastRuntimeMillis()).isGreaterThan(0);
        assertThat(jmx.getAttribute(dataSync, "LastExecutedStatus")).isEqualTo("SUCCESS");
        assertThat((Long) jmx.getAttribute(dataSync, "LastRuntimeExecution")).isEqualTo(ok.lastRuntimeMillis());

        // run-now over JMX while central fails every data value POST: FAILED, everywhere
        pair.local().faults().setLatency(Duration.ZERO);
        var changed = pair.local().aggregate().values().get(0);
        pair.local().aggregate().setValue(changed.dataElement(), changed.period(), changed.orgUnit(),
                changed.categoryOptionCombo(), changed.attributeOptionCombo(), "4711");
        pair.central().faults().on("POST", "/api/dataValueSets").fromRequest(1).fail(Fault.status(500));
        String viaJmx = (String) jmx.invoke(dataSync, "execute", new Object[0], new String[0]);
        Run failed = awaitEnd(engine, viaJmx);
        assertThat(failed.trigger()).isEqualTo("JMX");
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(jmx.getAttribute(dataSync, "LastExecutedStatus")).isEqualTo("FAILED");
        assertThat(jmx.getAttribute(dataSync, "LastExecuted")).isEqualTo(failed.started().toString());
        assertThat(control.overview("DATA_SYNC").lastExecutedStatus()).isEqualTo("FAILED");
        // a run that an engine process left RUNNING (it crashed) never ended: FAILED, not its older SUCCESS
        try (Connection c = engine.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into job_run (job_id, job_type, status, started) values"
                    + " ('ended-ok', 'EVENT_PROGRAMS_DATA_SYNC', 'SUCCESS', now() - interval '2 hours'),"
                    + " ('crashed', 'EVENT_PROGRAMS_DATA_SYNC', 'RUNNING', now() - interval '1 hour')");
        }
        engine.close();
        assertThat(jmx.isRegistered(dataSync)).isFalse();

        // after a restart on the same bookkeeping: the last status is still FAILED
        Engine restarted = engine("pg", Map.of());
        JobOverview afterRestart = control(restarted).overview("DATA_SYNC");
        assertThat(afterRestart.lastExecutedStatus()).isEqualTo("FAILED");
        assertThat(afterRestart.lastExecuted().truncatedTo(ChronoUnit.MILLIS))
                .isEqualTo(failed.started().truncatedTo(ChronoUnit.MILLIS));
        assertThat(afterRestart.running()).isFalse();
        assertThat(jmx.getAttribute(dataSync, "LastExecutedStatus")).isEqualTo("FAILED");
        assertThat(control(restarted).overview("EVENT_PROGRAMS_DATA_SYNC").lastExecutedStatus()).isEqualTo("FAILED");
        assertThat(control(restarted).overview("META_DATA_SYNC").lastExecutedStatus()).isEqualTo("NOT_STARTED");
        // the completed-tree endpoint sees the same last run: the crashed one (no tree), not the older SUCCESS
        AdminQueries admin = restarted.context().getRegistry().lookupByNameAndType("adminQueries", AdminQueries.class);
        assertThat(admin.completed("default", "EVENT_PROGRAMS_DATA_SYNC")).isEmpty();
        assertThat(admin.completed("default", "DATA_SYNC").path(0).path("status").asText()).isEqualTo("ERROR");
    }
}
