package org.dhis2.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A run whose cluster run lock is lost (the PostgreSQL session holding it ended: a database restart, a network cut)
 * stops taking pages, as at shutdown: from then on another node may start the same job, and two runs of one job must
 * not push and move its watermark at once. The next run sends the rest.
 */
class LostRunLockTest {

    @Test
    void aRunThatLostItsRunLockStopsTakingPagesAndTheNextRunSendsTheRest(@TempDir Path temp) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41))) {
            SandboxGenerator.populate(pair, GeneratorSpec.small());
            Map<String, String> props = new HashMap<>(Map.of("local.url", pair.localServer().url(),
                    "central.url", pair.centralServer().url(), "sync.dataValues.pageSize", "50",
                    "sync.availability.attempts", "2", "sync.availability.delayMillis", "1",
                    "sync.cluster.checkinIntervalMillis", "500"));
            try (Engine engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                    TestEngines.routesWith(temp.resolve("routes")), props)))) {
                JobCoordinator jobs = engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class);
                pair.central().faults().setLatency(Duration.ofMillis(1500));
                JobSchedulingTest.control(engine).execute("DATA_SYNC", "MANUAL");
                JobRun run = jobs.running("DATA_SYNC").orElseThrow();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> pair.central().requests().count("POST", "/api/dataValueSets") >= 1);

                // the session holding the run's advisory locks ends, as when the database restarts
                assertThat(terminateRunLockSessions(engine)).isEqualTo(1);
                long postedWhenLost = pair.central().requests().count("POST", "/api/dataValueSets");
                await().atMost(Duration.ofSeconds(30)).until(run::status, s -> s != JobRun.Status.RUNNING);
                pair.central().faults().setLatency(Duration.ZERO);

                assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.CANCELLED);
                assertThat(run.summary()).contains("DATA_SYNC stopped at the loss of its run lock")
                        .contains("what was not sent is sent next run");
                long posted = pair.central().requests().count("POST", "/api/dataValueSets");
                // the page in flight settles (and at most the one the check had not yet seen the loss for)
                assertThat(posted - postedWhenLost).as("pages taken after the loss").isLessThanOrEqualTo(2);
                assertThat(values(pair.central())).as("not every page was sent").isNotEqualTo(values(pair.local()));
                assertThat(messages(log)).anyMatch(m -> m.contains("lost its run lock"));

                // a new run takes new locks (a new session) and sends the rest
                JobRun next = JobSchedulingTest.control(engine).runAndWait("DATA_SYNC", "MANUAL", Map.of());
                assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
                assertThat(values(pair.central())).isEqualTo(values(pair.local()));
            }
        } finally {
            root.detachAppender(log);
        }
    }

    private static int terminateRunLockSessions(Engine engine) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from (select pg_terminate_backend(pid) from"
                     + " pg_stat_activity where application_name like 'dhis2-sync run locks%') t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static Map<String, String> values(Dhis2Instance instance) {
        Map<String, String> values = new HashMap<>();
        for (AggregateStore.DataValue v : instance.aggregate().values()) {
            if (!v.deleted()) {
                values.put(v.dataElement() + '|' + v.period() + '|' + v.orgUnit() + '|' + v.categoryOptionCombo()
                        + '|' + v.attributeOptionCombo(), v.value());
            }
        }
        return values;
    }
}
