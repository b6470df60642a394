package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** DATA_SYNC under scripted faults: pages that do not settle keep the watermark and fail the job; nothing is lost. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataSyncFaultTest {

    @TempDir
    static Path temp;
    static DataSyncFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = DataSyncFixture.start(temp, 40, 42, GeneratorSpec.small(), Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clearFaults() {
        f.pair.central().faults().clear();
        f.pair.central().setCredentials("admin", "district");
    }

    @Test
    @Order(1)
    void pageTwoOfFiveFailingPastTheRetryBudgetFailsTheJobAndKeepsTheWatermark() throws Exception {
        int values = f.pair.local().aggregate().size();
        assertThat(values).as("5 pages of 50").isBetween(201, 250);
        // metadata.sync.retry=3 attempts: requests 2, 3 and 4 are page 2's attempts
        f.pair.central().faults().on("POST", "/api/dataValueSets").requests(2, 3, 4).fail(Fault.status(503));

        JobRun failed = f.runJob();

        assertThat(failed.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.summary()).contains("50 data values did not arrive (sent again next run): pages 2");
        List<RequestLog.Entry> posts = f.posts("/api/dataValueSets");
        assertThat(posts).hasSize(7);
        assertThat(posts.stream().filter(p -> p.status() == 503)).hasSize(3);
        // the watermark is not past page 2's data: every value of page 2 is read again by the next run
        Map<String, AggregateStore.DataValue> local = new HashMap<>();
        f.pair.local().aggregate().forEach(v -> local.put(DataSyncFixture.key(v), v));
        long oldestOfPage2 = Long.MAX_VALUE;
        for (JsonNode v : DataSyncFixture.JSON.readTree(posts.get(1).bodyText()).path("dataValues")) {
            AggregateStore.DataValue lv = local.get(DataSyncFixture.key(v.path("dataElement").asText(),
                    v.path("period").asText(), v.path("orgUnit").asText(), v.path("categoryOptionCombo").asText(),
                    v.path("attributeOptionCombo").asText()));
            oldestOfPage2 = Math.min(oldestOfPage2, lv.lastUpdated().toEpochMilli());
            assertThat(f.pair.central().aggregate().get(lv.dataElement(), lv.period(), lv.orgUnit(),
                    lv.categoryOptionCombo(), lv.attributeOptionCombo())).isEmpty();
        }
        assertThat(f.watermark().orElseThrow().toEpochMilli()).isLessThanOrEqualTo(oldestOfPage2);
        var page2 = failed.progress().processes().get(0).getStages().get(1).getItems().get(1);
        assertThat(page2.getStatus().name()).isEqualTo("ERROR");
        assertThat(page2.getError()).contains("Page 2 synchronisation failed").contains("503");

        f.pair.central().faults().clear();
        f.pair.central().requests().clear();
        JobRun next = f.runJob();

        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        f.assertCentralEqualsLocal();
        f.assertCentralRegistrationsEqualLocal();
        assertThat(f.postedValueKeys()).doesNotHaveDuplicates();
    }

    @Test
    @Order(2)
    void connectionResetInCentralsAnswerLeavesThePageUnsettled() throws Exception {
        changeTwoValues(1);
        f.pair.central().faults().on("POST", "/api/dataValueSets").fromRequest(1).fail(Fault.resetMidBody());
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("2 data values did not arrive (sent again next run): pages 1");
        assertThat(f.posts("/api/dataValueSets").stream().map(RequestLog.Entry::number).distinct())
                .as("retried as a transient fault").hasSize(3);
        assertThat(f.engine.context().isStarted()).isTrue();

        f.pair.central().faults().clear();
        JobRun next = f.runJob();
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        f.assertCentralEqualsLocal();
    }

    @Test
    @Order(3)
    void malformedAnswerLeavesThePageUnsettled() throws Exception {
        changeTwoValues(2);
        f.pair.central().faults().on("POST", "/api/dataValueSets").fromRequest(1).fail(Fault.malformedBody());
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("did not arrive").contains("not valid JSON");
        assertThat(f.posts("/api/dataValueSets")).as("a 200 answer is judged, not retried").hasSize(1);

        f.pair.central().faults().clear();
        f.pair.central().requests().clear();
        JobRun next = f.runJob();
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.postedValueKeys()).hasSize(2);
        f.assertCentralEqualsLocal();
    }

    @Test
    @Order(4)
    void unavailableCentralFailsTheStagesWithDhis2sMessageBeforeReading() throws Exception {
        changeTwoValues(3);
        f.pair.central().setCredentials("admin", "changed");
        f.pair.local().requests().clear();
        f.pair.central().requests().clear();
        try {
            JobRun run = f.runJob();
            assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
            assertThat(run.summary()).contains("DataValueSynchronization failed. Remote server is unavailable. "
                    + "The central DHIS2 is unavailable: Authentication failed");
            assertThat(f.pair.local().requests().count("GET", "/api/dataValueSets")).isZero();
            assertThat(f.posts("/api/")).isEmpty();
        } finally {
            f.pair.central().setCredentials("admin", "district");
        }
        JobRun next = f.runJob();
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        f.assertCentralEqualsLocal();
    }

    private static void changeTwoValues(int seed) {
        List<AggregateStore.DataValue> live = f.pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted() && v.value().matches("\\d+")).toList();
        for (int i = 0; i < 2; i++) {
            AggregateStore.DataValue v = live.get(seed * 11 + i * 5);
            f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), String.valueOf(Integer.parseInt(v.value()) + seed));
        }
    }
}
