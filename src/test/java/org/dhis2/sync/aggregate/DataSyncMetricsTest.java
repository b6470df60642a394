package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dhis2.sync.engine.ManagementEndpoints.metric;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.engine.ManagementEndpoints;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.observe.SyncMetrics;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * /observe/metrics after real DATA_SYNC runs, scraped over HTTP: the counters equal what central received and what the
 * job reported — a failed page, the run that catches up, a conflict.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataSyncMetricsTest {

    @TempDir
    static Path temp;
    static DataSyncFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = DataSyncFixture.start(temp, 41, 42, GeneratorSpec.small(), Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @Order(1)
    void everySeriesExistsBeforeTheFirstRun() throws Exception {
        String text = scrape();
        for (String stage : SyncMetrics.STAGES) {
            for (String name : List.of("dhis2sync_objects_sent_total", "dhis2sync_objects_settled_total",
                    "dhis2sync_conflicts_total", "dhis2sync_pages_failed_total", "dhis2sync_stage_duration_seconds_count",
                    "dhis2sync_stage_last_success_timestamp_seconds")) {
                assertThat(metric(text, name, "pair", "default", "stage", stage)).as(name + " " + stage).isZero();
            }
        }
    }

    @Test
    @Order(2)
    void aFailedPageIsCountedAndOnlyWhatCentralAcceptedIsSettled() throws Exception {
        ListAppender<ILoggingEvent> log = captureLog();
        // page 2 of 5 fails past the retry budget (metadata.sync.retry=3: requests 2, 3 and 4)
        f.pair.central().faults().on("POST", "/api/dataValueSets").requests(2, 3, 4).fail(Fault.status(503));
        f.pair.central().requests().clear();
        JobRun run;
        try {
            run = f.runJob();
        } finally {
            root().detachAppender(log);
            f.pair.central().faults().clear();
        }
        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);

        String text = scrape();
        assertThat(dataValues(text, "dhis2sync_objects_sent_total")).isEqualTo(distinctValuesPosted(false));
        assertThat(dataValues(text, "dhis2sync_objects_sent_total")).isEqualTo(f.pair.local().aggregate().size());
        assertThat(dataValues(text, "dhis2sync_objects_settled_total")).isEqualTo(distinctValuesPosted(true))
                .isEqualTo(f.pair.local().aggregate().size() - 50);
        assertThat(dataValues(text, "dhis2sync_pages_failed_total")).isEqualTo(1);
        assertThat(dataValues(text, "dhis2sync_conflicts_total")).isZero();
        assertThat(dataValues(text, "dhis2sync_stage_duration_seconds_count")).isEqualTo(1);
        assertThat(dataValues(text, "dhis2sync_stage_last_success_timestamp_seconds")).isZero();
        // the registrations went through: their own numbers, their success time
        int registrations = f.pair.local().aggregate().registrations().size();
        assertThat(metric(text, "dhis2sync_objects_settled_total", "stage", "completeRegistrations"))
                .isEqualTo(registrations).isEqualTo(f.pair.central().aggregate().registrationCount());
        assertThat(metric(text, "dhis2sync_stage_last_success_timestamp_seconds", "stage", "completeRegistrations"))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
        assertThat(metric(text, "dhis2sync_job_runs_total", "pair", "default", "job", "DATA_SYNC", "status", "FAILED"))
                .isEqualTo(1);
        assertThat(metric(text, "dhis2sync_job_runs_total", "job", "DATA_SYNC", "status", "SUCCESS")).isNull();
        assertThat(metric(text, "dhis2sync_job_duration_seconds_count", "job", "DATA_SYNC")).isEqualTo(1);

        // the handled failure is logged by our code at WARN, once per page and stage, without Camel's ERROR dump
        assertThat(log.list).noneMatch(e -> e.getLevel() == Level.ERROR);
        assertThat(log.list).noneMatch(e -> e.getThrowableProxy() != null);
        assertThat(log.list).noneMatch(e -> e.getFormattedMessage().contains("Exhausted after delivery attempt"));
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().startsWith("Data values page 2: 50 values did not"))
                .hasSize(1);
    }

    @Test
    @Order(3)
    void theCatchUpRunAndAConflictAddExactlyWhatCentralReceived() throws Exception {
        String before = scrape();
        AggregateStore.DataValue v = f.pair.local().aggregate().values().stream()
                .filter(x -> !x.deleted() && x.value().matches("\\d+")).skip(5).findFirst().orElseThrow();
        f.pair.central().faults().rejectedUids().add(v.orgUnit());
        f.pair.central().requests().clear();
        JobRun run;
        try {
            run = f.runJob();
        } finally {
            f.pair.central().faults().rejectedUids().clear();
        }
        // issue 11 #9: a rejected value fails the run; it is settled (recorded), not "did not arrive"
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("rejected by central (conflicts recorded)").doesNotContain("did not arrive");

        String after = scrape();
        long posted = distinctValuesPosted(false);
        assertThat(posted).as("page 2 and what followed it are read again").isGreaterThanOrEqualTo(50);
        assertThat(delta(before, after, "dhis2sync_objects_sent_total")).isEqualTo(posted);
        assertThat(delta(before, after, "dhis2sync_objects_settled_total")).isEqualTo(posted);
        long conflicts = (Long) f.query("select count(*) as n from import_conflict where kind = 'dataValue' and run_id = "
                + "(select max(id) from job_run)").get(0).get("n");
        assertThat(conflicts).isPositive();
        assertThat(delta(before, after, "dhis2sync_conflicts_total")).isEqualTo(conflicts);
        assertThat(delta(before, after, "dhis2sync_pages_failed_total")).isZero();
        assertThat(metric(after, "dhis2sync_job_runs_total", "job", "DATA_SYNC", "status", "FAILED")).isEqualTo(2);
        assertThat(metric(after, "dhis2sync_job_duration_seconds_count", "job", "DATA_SYNC")).isEqualTo(2);
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = ManagementEndpoints.get(f.engine, "/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double dataValues(String text, String name) {
        return metric(text, name, "pair", "default", "stage", DataValueSync.STAGE);
    }

    private static double delta(String before, String after, String name) {
        return dataValues(after, name) - dataValues(before, name);
    }

    /** Data values in the POSTs central received since its request log was cleared (accepted ones only, or all). */
    private static long distinctValuesPosted(boolean acceptedOnly) throws Exception {
        Set<String> keys = new HashSet<>();
        for (RequestLog.Entry e : f.posts("/api/dataValueSets")) {
            if (acceptedOnly && e.status() != 200 && e.status() != 409) {
                continue;
            }
            for (JsonNode v : DataSyncFixture.JSON.readTree(e.bodyText()).path("dataValues")) {
                keys.add(DataSyncFixture.key(v.path("dataElement").asText(), v.path("period").asText(),
                        v.path("orgUnit").asText(), v.path("categoryOptionCombo").asText(),
                        v.path("attributeOptionCombo").asText()));
            }
        }
        return keys.size();
    }

    private static ListAppender<ILoggingEvent> captureLog() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root().addAppender(log);
        return log;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
