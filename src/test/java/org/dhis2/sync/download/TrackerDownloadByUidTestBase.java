package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.TrackerSeeds;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.dhis2.sync.sandbox.Uids;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download by UID on the admin API ({@code POST /api/download/trackedEntities}) against a central whose sync user
 * captures data in one org unit only, for tracked entities owned in another: an OPEN program needs nothing more; a
 * PROTECTED one needs central's temporary ownership override, asked for (and audited) only when
 * sync.download.breakTheGlassReason is set; a CLOSED one is refused. Then a tracked entity related to one outside
 * the capture scope brings that end along.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TrackerDownloadByUidTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final int localVersion;
    private final int centralVersion;
    private final String reason;
    DownloadFixture sync;
    String program;
    String ownerOrgUnit;
    int adminPort;

    TrackerDownloadByUidTestBase(int localVersion, int centralVersion, String reason) {
        this.localVersion = localVersion;
        this.centralVersion = centralVersion;
        this.reason = reason;
    }

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("sync.admin.username", "ops",
                "sync.admin.password", "ops-secret-1", "sync.download.breakTheGlassReason", reason));
        sync = DownloadFixture.start(temp, localVersion, centralVersion, pair -> settings);
        assertThat(sync.run(DownloadFixture.PUSH).status()).isEqualTo(JobRun.Status.SUCCESS);
        Dhis2Instance central = sync.central();
        Item enrollment = central.tracker().query(Kind.ENROLLMENT, null, null, i -> !i.deleted(), false, 0, 1, false)
                .items().get(0);
        program = enrollment.text("program");
        ownerOrgUnit = enrollment.text("orgUnit");
        String ownerPath = central.catalog().get("organisationUnits", ownerOrgUnit).orElseThrow().path("path")
                .asText();
        // the sync user captures data in a unit that neither holds nor lies above the owner
        String capture = central.catalog().list("organisationUnits").stream()
                .filter(u -> !ownerPath.contains(u.path("id").asText()))
                .filter(u -> !u.path("path").asText().contains(ownerOrgUnit))
                .map(u -> u.path("id").asText()).findFirst().orElseThrow();
        central.setSuperuser(false);
        central.setUserCaptureOrgUnits(capture);
        String root = central.catalog().list("organisationUnits").stream()
                .filter(u -> u.path("level").asInt() == 1).map(u -> u.path("id").asText()).findFirst().orElseThrow();
        central.setUserSearchOrgUnits(root);
        adminPort = sync.engine.managementPort();
    }

    @AfterAll
    void stop() {
        if (sync != null) {
            sync.close();
        }
    }

    String seedOnCentral() {
        String te = Uids.random();
        TrackerSeeds.enrolledTrackedEntity(sync.central(), te, Uids.random(), program, ownerOrgUnit);
        return te;
    }

    HttpResponse<String> download(String te, String programUid) throws Exception {
        String body = JSON.writeValueAsString(Map.of("trackedEntities", java.util.List.of(te), "program", programUid));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                        + "/api/download/trackedEntities")).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:ops-secret-1"
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean onLocal(String te) {
        return sync.local().tracker().get(Kind.TRACKED_ENTITY, te).isPresent();
    }

    @Test
    @Order(1)
    void anOpenProgramsTrackedEntityOwnedOutsideTheCaptureScopeIsDownloaded() throws Exception {
        String te = seedOnCentral();
        HttpResponse<String> answer = download(te, program);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(onLocal(te)).isTrue();
        assertThat(sync.central().trackerOwnership().overrides()).isEmpty();
        assertThat(sync.bookkeeping("sync_item", "state", "TRACKED_ENTITY", te)).isEqualTo("SYNCED");
    }

    @Test
    @Order(2)
    void aProtectedProgramBreaksTheGlassOnlyWhenConfigured() throws Exception {
        sync.central().setProgramAccessLevel(program, "PROTECTED");
        String te = seedOnCentral();
        HttpResponse<String> answer = download(te, program);
        if (reason.isEmpty()) {
            assertThat(answer.statusCode()).isEqualTo(409);
            assertThat(answer.body()).contains(te, "sync.download.breakTheGlassReason");
            assertThat(sync.central().trackerOwnership().overrides()).isEmpty();
            assertThat(onLocal(te)).isFalse();
            assertThat(overridesAudited()).isZero();
        } else {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(onLocal(te)).isTrue();
            assertThat(sync.central().trackerOwnership().overrides()).hasSize(1);
            assertThat(sync.central().trackerOwnership().overrides().get(0).toString()).contains(te, reason);
            assertThat(overridesAudited()).isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    void aClosedProgramIsRefusedWithAClearMessage() throws Exception {
        sync.central().setProgramAccessLevel(program, "CLOSED");
        String te = seedOnCentral();
        long fetchesBefore = sync.central().requests().count("GET", "/api/tracker/trackedEntities/");
        HttpResponse<String> answer = download(te, program);
        assertThat(answer.statusCode()).isEqualTo(409);
        JsonNode message = JSON.readTree(answer.body());
        assertThat(message.path("message").asText()).contains("CLOSED", program);
        assertThat(sync.central().requests().count("GET", "/api/tracker/trackedEntities/")).isEqualTo(fetchesBefore);
        assertThat(onLocal(te)).isFalse();
        sync.central().setProgramAccessLevel(program, "OPEN");
    }

    @Test
    @Order(4)
    void aRelationshipEndOutsideTheScopeIsFetchedWithoutItsOwnRelationships() throws Exception {
        String te = seedOnCentral();
        String end = seedOnCentral();
        String type = sync.central().catalog().list("relationshipTypes").get(0).path("id").asText();
        String relationship = Uids.random();
        TrackerSeeds.relationship(sync.central(), relationship, type, te, end);
        HttpResponse<String> answer = download(te, program);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(onLocal(end)).as("the end came along").isTrue();
        JobRun run = sync.engine.context().getRegistry().lookupByNameAndType("jobs",
                org.dhis2.sync.job.JobCoordinator.class).lastFinished(DownloadFixture.DOWNLOAD).orElseThrow();
        assertThat(run.progress().processes().get(0).getStages()).as("every stage of the tree ended")
                .allMatch(org.dhis2.sync.job.JobProgress.Node::isComplete)
                .extracting(org.dhis2.sync.job.JobProgress.Node::getDescription)
                .contains("Importing relationships");
        assertThat(sync.local().tracker().get(Kind.RELATIONSHIP, relationship)).isPresent();
        var endFetch = sync.central().requests().matching("GET", "/api/tracker/trackedEntities/" + end);
        assertThat(endFetch).hasSize(1);
        assertThat(java.net.URLDecoder.decode(endFetch.get(0).query(), StandardCharsets.UTF_8))
                .contains("!relationships");

        long mark = DownloadFixture.lastRequest(sync.central());
        JobRun push = sync.run(DownloadFixture.PUSH);
        assertThat(push.status()).as(push.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(DownloadFixture.importedTrackedEntities(sync.central(), mark)).as("no echo").isEmpty();
        assertThat(sync.central().requests().matching("POST", "/api/tracker").stream()
                .filter(e -> e.number() > mark).map(e -> e.bodyText())).as("no relationship sent back either")
                .isEmpty();
    }

    private int overridesAudited() throws Exception {
        try (var c = sync.engine.database().dataSource().getConnection();
             var s = c.prepareStatement("select count(*) from ownership_override where granted");
             var rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
