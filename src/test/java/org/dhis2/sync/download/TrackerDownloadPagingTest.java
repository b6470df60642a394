package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging of TRACKER_DOWNLOAD (local 2.41, central 2.42): pages of 5, a limit of 8 per program and run, no window
 * overlap (so that the first page of a run holds the newest changes): the limit holds the rest for the next run; a
 * page that cannot be read is passed over, the job fails, and the next run reads it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrackerDownloadPagingTest {

    DownloadFixture sync;
    String attribute;
    List<String> tes;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        sync = DownloadFixture.start(temp, 41, 42, pair -> Map.of("sync.download.pageSize", "5",
                "sync.download.limit", "8", "sync.window.overlapSeconds", "0"));
        assertThat(sync.run(DownloadFixture.PUSH).status()).isEqualTo(JobRun.Status.SUCCESS);
        tes = DownloadFixture.trackedEntities(sync.local());
        for (JsonNode a : sync.local().catalog().list("trackedEntityAttributes")) {
            if (!a.path("skipSynchronization").asBoolean(false) && attribute == null) {
                attribute = a.path("id").asText();
            }
        }
    }

    @AfterAll
    void stop() {
        if (sync != null) {
            sync.close();
        }
    }

    @Test
    @Order(1)
    void theLimitHoldsTheRestForTheNextRun() throws Exception {
        for (String te : tes) { // changed at central, so that each one has something to bring
            sync.setAttribute(sync.central(), te, attribute, "limit " + te);
        }
        long mark = DownloadFixture.lastRequest(sync.local());
        JobRun first = sync.run(DownloadFixture.DOWNLOAD);
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);
        List<String> firstImported = DownloadFixture.importedTrackedEntities(sync.local(), mark);
        assertThat(firstImported).hasSize(8);

        mark = DownloadFixture.lastRequest(sync.local());
        JobRun second = sync.run(DownloadFixture.DOWNLOAD);
        assertThat(second.status()).as(second.summary()).isEqualTo(JobRun.Status.SUCCESS);
        List<String> secondImported = DownloadFixture.importedTrackedEntities(sync.local(), mark);
        assertThat(secondImported).doesNotContainAnyElementsOf(firstImported);
        assertThat(firstImported.size() + secondImported.size()).isEqualTo(tes.size());
        for (String te : tes) {
            assertThat(DownloadFixture.attribute(sync.local(), te, attribute)).isEqualTo("limit " + te);
        }
    }

    @Test
    @Order(2)
    void aPageThatCannotBeReadIsPassedOverAndReadByTheNextRun() throws Exception {
        List<String> changed = tes.subList(5, tes.size());
        for (String te : changed) {
            sync.setAttribute(sync.central(), te, attribute, "paged " + te);
        }
        // the first page of this run fails every attempt; the pages after it are read
        Dhis2Instance central = sync.central();
        long before = central.requests().count("GET", "/api/tracker/trackedEntities");
        central.faults().on("GET", "/api/tracker/trackedEntities").requestRange(1, 3).fail(Fault.status(500));

        JobRun failed = sync.run(DownloadFixture.DOWNLOAD);

        assertThat(failed.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.failures()).anyMatch(f -> f.contains("could not be read from central"));
        assertThat(central.requests().count("GET", "/api/tracker/trackedEntities") - before)
                .as("the pages after the failed one were read").isGreaterThan(3);
        long notYet = changed.stream().filter(te -> !("paged " + te).equals(
                DownloadFixture.attribute(sync.local(), te, attribute))).count();
        assertThat(notYet).as("the failed page's tracked entities").isPositive();

        central.faults().clear();
        JobRun next = sync.run(DownloadFixture.DOWNLOAD);
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        for (String te : changed) {
            assertThat(DownloadFixture.attribute(sync.local(), te, attribute)).isEqualTo("paged " + te);
        }
        long mark = DownloadFixture.lastRequest(sync.central());
        assertThat(sync.run(DownloadFixture.PUSH).status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(DownloadFixture.importedTrackedEntities(sync.central(), mark)).as("no echo").isEmpty();
    }
}
