package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * TRACKER_DOWNLOAD end to end against one version pair: everything local pushed first, then changes made at central
 * come down; nothing downloaded goes back up; pending local work is never overwritten; skip-sync values stay. Tests
 * in order, building on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TrackerDownloadJobTestBase {

    private final int localVersion;
    private final int centralVersion;
    DownloadFixture sync;
    String attribute;
    String skipSyncAttribute;
    List<String> tes;

    TrackerDownloadJobTestBase(int localVersion, int centralVersion) {
        this.localVersion = localVersion;
        this.centralVersion = centralVersion;
    }

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        sync = DownloadFixture.start(temp, localVersion, centralVersion,
                pair -> Map.of("sync.download.pageSize", "5"));
        assertThat(sync.run(DownloadFixture.PUSH).status()).isEqualTo(JobRun.Status.SUCCESS);
        tes = DownloadFixture.trackedEntities(sync.local());
        for (JsonNode a : sync.local().catalog().list("trackedEntityAttributes")) {
            if (a.path("skipSynchronization").asBoolean(false)) {
                skipSyncAttribute = a.path("id").asText();
            } else if (attribute == null) {
                attribute = a.path("id").asText();
            }
        }
        assertThat(tes).hasSizeGreaterThan(6);
        assertThat(skipSyncAttribute).isNotNull();
    }

    @AfterAll
    void stop() {
        if (sync != null) {
            sync.close();
        }
    }

    @Test
    @Order(1)
    void changesAndNewTrackedEntitiesOfCentralReachLocalAndNothingGoesBackUp() throws Exception {
        String changed = tes.get(0);
        sync.setAttribute(sync.central(), changed, attribute, "changed at central");
        String created = sync.newTrackedEntityLike(sync.central(), changed, attribute, "registered at central");
        long localMark = DownloadFixture.lastRequest(sync.local());

        JobRun download = sync.run(DownloadFixture.DOWNLOAD);
        // what the site pushed itself comes back with a newer updatedAt: read, found the same, not imported again
        assertThat(DownloadFixture.importedTrackedEntities(sync.local(), localMark))
                .containsExactlyInAnyOrder(changed, created);

        assertThat(download.status()).as(download.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(download.stageOutcomes()).singleElement().satisfies(o -> {
            assertThat(o.stage()).isEqualTo("trackerDownload");
            assertThat(o.sent()).as("given to the local import").isGreaterThanOrEqualTo(2);
            assertThat(o.settled()).as("all of it answered").isEqualTo(o.sent());
            assertThat(o.succeeded()).isTrue();
        });
        assertThat(DownloadFixture.attribute(sync.local(), changed, attribute)).isEqualTo("changed at central");
        assertThat(DownloadFixture.attribute(sync.local(), created, attribute)).isEqualTo("registered at central");
        assertThat(sync.bookkeeping("sync_item", "state", "TRACKED_ENTITY", created)).isEqualTo("SYNCED");
        assertThat(sync.bookkeeping("download_item", "state", "TRACKED_ENTITY", created)).isEqualTo("DOWNLOADED");
        String scope = (centralVersion >= 41 ? "orgUnitMode" : "ouMode") + "=CAPTURE";
        assertThat(sync.central().requests().matching("GET", "/api/tracker/trackedEntities"))
                .as("the SDK's capture scope, named as central's version names it")
                .isNotEmpty().allMatch(e -> e.query().contains(scope));

        long mark = DownloadFixture.lastRequest(sync.central());
        JobRun push = sync.run(DownloadFixture.PUSH);
        assertThat(push.status()).as(push.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(DownloadFixture.importedTrackedEntities(sync.central(), mark)).as("no echo").isEmpty();
    }

    @Test
    @Order(2)
    void aSecondRunImportsOnlyWhatChangedAtCentral() throws Exception {
        String changed = tes.get(1);
        sync.setAttribute(sync.central(), changed, attribute, "second change");
        long mark = DownloadFixture.lastRequest(sync.local());

        JobRun download = sync.run(DownloadFixture.DOWNLOAD);

        assertThat(download.status()).as(download.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(DownloadFixture.importedTrackedEntities(sync.local(), mark)).containsExactly(changed);
        assertThat(DownloadFixture.attribute(sync.local(), changed, attribute)).isEqualTo("second change");
    }

    @Test
    @Order(3)
    void pendingLocalWorkAndConflictsAreNeverOverwritten() throws Exception {
        String editedHere = tes.get(2);
        String inError = tes.get(3);
        String inWarning = tes.get(4);
        sync.setAttribute(sync.local(), editedHere, attribute, "local edit");
        sync.setAttribute(sync.central(), editedHere, attribute, "central edit");
        for (String te : List.of(inError, inWarning)) {
            sync.sql("update sync_item set state = ? where kind = 'TRACKED_ENTITY' and uid = ?",
                    te.equals(inError) ? "ERROR" : "WARNING", te);
            sync.setAttribute(sync.central(), te, attribute, "central edit of a conflict");
        }
        String errorValue = DownloadFixture.attribute(sync.local(), inError, attribute);

        JobRun download = sync.run(DownloadFixture.DOWNLOAD);

        assertThat(download.status()).as(download.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(DownloadFixture.attribute(sync.local(), editedHere, attribute)).isEqualTo("local edit");
        assertThat(DownloadFixture.attribute(sync.local(), inError, attribute)).isEqualTo(errorValue);
        assertThat(download.summary()).contains(editedHere, inError, inWarning, "skipped (pending local work)");
        assertThat(sync.bookkeeping("download_item", "state", "TRACKED_ENTITY", editedHere)).isEqualTo("SKIPPED");

        JobRun push = sync.run(DownloadFixture.PUSH);
        assertThat(push.status()).as(push.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(DownloadFixture.attribute(sync.central(), editedHere, attribute)).isEqualTo("local edit");
    }

    @Test
    @Order(4)
    void aLocalSkipSyncValueIsKeptWhenCentralChangesTheTrackedEntity() throws Exception {
        String te = tes.stream().filter(t -> DownloadFixture.attribute(sync.local(), t, skipSyncAttribute) != null)
                .filter(t -> !tes.subList(0, 5).contains(t)).findFirst().orElseThrow();
        String secret = DownloadFixture.attribute(sync.local(), te, skipSyncAttribute);
        assertThat(DownloadFixture.attribute(sync.central(), te, skipSyncAttribute)).isNull();
        sync.setAttribute(sync.central(), te, attribute, "central edit beside a secret");

        JobRun download = sync.run(DownloadFixture.DOWNLOAD);

        assertThat(download.status()).as(download.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(DownloadFixture.attribute(sync.local(), te, attribute)).isEqualTo("central edit beside a secret");
        assertThat(DownloadFixture.attribute(sync.local(), te, skipSyncAttribute)).isEqualTo(secret);
    }
}
