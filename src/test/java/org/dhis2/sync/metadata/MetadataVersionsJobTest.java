package org.dhis2.sync.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.ManagementEndpoints;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.MetadataVersion;
import org.dhis2.sync.sandbox.MetadataVersionStore;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * META_DATA_SYNC end to end over HTTP against a sandbox pair (local 2.40, central 2.40), with a real SMTP server
 * (GreenMail). One engine for the class with metadata.sync.stopIfVersionsDiffer=true; each test starts from empty
 * version lists and bookkeeping, except the first, which uses the generator's realistic version chain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetadataVersionsJobTest {

    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    static SandboxPair pair;
    static Engine engine;
    static GreenMail mail;
    static TestPushStage push = new TestPushStage();

    @BeforeAll
    static void start() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        mail.setUser("sync@example.org", "sync", "mail-secret");
        pair = SandboxPair.start(Dhis2Version.of(40), Dhis2Version.of(40));
        configureLocalRemote();
        engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                TestEngines.routesWith(temp, "routes-metadata-push"), settings(true))), Map.of("testPushStage", push));
    }

    static Map<String, String> settings(boolean stopIfVersionsDiffer) {
        Map<String, String> s = new HashMap<>();
        s.put("local.url", pair.localServer().url());
        s.put("central.url", pair.centralServer().url());
        s.put("sync.availability.attempts", "2"); // 1 does no ping at all (availability route loop)
        s.put("sync.availability.delayMillis", "1");
        s.put("metadata.sync.stopIfVersionsDiffer", String.valueOf(stopIfVersionsDiffer));
        s.put("sync.notifications.email", "admin@example.org");
        s.put("sync.mail.host", "127.0.0.1");
        s.put("sync.mail.port", String.valueOf(mail.getSmtp().getPort()));
        s.put("sync.mail.username", "sync");
        s.put("sync.mail.password", "mail-secret");
        return s;
    }

    /** The local DHIS2's remote server settings (System Settings → Synchronization) point to central. */
    static void configureLocalRemote() {
        pair.local().systemSettings().put("keyRemoteInstanceUrl", pair.centralServer().url());
        pair.local().systemSettings().put("keyRemoteInstanceUsername", "admin");
        pair.local().systemSettings().put("keyRemoteInstancePassword", "district");
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        if (pair != null) {
            pair.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        push.failWith = null;
        pair.local().faults().clear();
        pair.central().faults().clear();
        pair.local().requests().setRecordBodies(true);
        pair.local().requests().clear();
        configureLocalRemote();
        mail.purgeEmailFromAllMailboxes();
        sql("delete from metadata_version");
    }

    /** Empty version lists on both sides, for tests that build their own chain. */
    private static void noVersions() {
        pair.central().metadataVersions().clear();
        pair.local().metadataVersions().clear();
        pair.central().metadataVersions().setHistoryOrder(MetadataVersionStore.HistoryOrder.CREATION);
    }

    @Test
    @Order(1)
    void shuffledVersionsAreImportedInCreationOrderThenUpToDate() throws Exception {
        SandboxGenerator.populate(pair, GeneratorSpec.small().withMetadataVersions(5));
        pair.central().metadataVersions().setHistoryOrder(MetadataVersionStore.HistoryOrder.SHUFFLED);
        long syncsBefore = pair.local().requests().count("GET", "/api/metadata/sync");

        JobRun run = runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(push.runs.get()).isGreaterThan(0); // the installed push stage ran first
        List<String> imported = column("select name from metadata_version where status = 'IMPORTED' order by created");
        assertThat(imported).containsExactly("Version_2", "Version_3", "Version_4", "Version_5", "Version_6");
        // the local DHIS2 was asked to apply them in creation order, one call each, and nothing was POSTed to it
        var syncs = pair.local().requests().matching("GET", "/api/metadata/sync");
        assertThat(syncs.subList((int) syncsBefore, syncs.size())).extracting(r -> r.params().get("versionName"))
                .containsExactly(List.of("Version_2"), List.of("Version_3"), List.of("Version_4"),
                        List.of("Version_5"), List.of("Version_6"));
        assertThat(pair.local().requests().count("POST", "/api/metadata")).isZero();
        // the local instance now holds every data element and option set of central
        for (String type : List.of("dataElements", "optionSets", "options", "organisationUnits")) {
            for (ObjectNode o : pair.central().catalog().list(type)) {
                assertThat(pair.local().catalog().get(type, o.path("id").asText())).as(type + " " + o.path("id"))
                        .isPresent().get().extracting(l -> l.path("name").asText()).isEqualTo(o.path("name").asText());
            }
        }
        assertThat(mails()).hasSize(5).allSatisfy(m -> assertThat(m.getSubject())
                .isEqualTo("Success Notification: Metadata Synchronization"));
        assertThat(GreenMailUtil.getBody(mails().get(0))).contains("Version_2").contains("created");
        assertThat(progressJson(run)).contains("Getting current version", "Fetching remote versions",
                "Synchronizing metadata for version Version_2 BEST_EFFORT");
        // the local DHIS2 knows the versions it got: its current version is central's newest (defect 8)
        assertThat(localVersionAnswer()).isEqualTo("200 Version_6");
        assertThat(pair.local().metadataVersions().list()).extracting(MetadataVersion::name)
                .containsExactly("Version_1", "Version_2", "Version_3", "Version_4", "Version_5", "Version_6");

        mail.purgeEmailFromAllMailboxes();
        long syncsAfterFirst = pair.local().requests().count("GET", "/api/metadata/sync");
        JobRun second = runJob();
        assertThat(second.status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.local().requests().count("GET", "/api/metadata/sync")).isEqualTo(syncsAfterFirst);
        assertThat(progressJson(second)).contains("Your instance is already using the latest version Version_6");
        assertThat(mails()).isEmpty();
    }

    @Test
    @Order(2)
    void hashMismatchStopsWithNothingImportedFromThatVersionOn() throws Exception {
        noVersions();
        MetadataVersionStore central = pair.central().metadataVersions();
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.40", optionSet("HashOkSet01", "Hash ok")));
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.40", optionSet("HashBadSet1", "Hash bad")),
                "0123456789abcdef0123456789abcdef");
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.40", optionSet("HashLater01", "Hash later")));
        String metricsBefore = ManagementEndpoints.get(engine, "/observe/metrics").body();

        JobRun run = runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("Version_2", "corrupted", "0123456789abcdef0123456789abcdef");
        // the local DHIS2 registered Version_1 and was never asked for the corrupted Version_2
        assertThat(localVersionAnswer()).isEqualTo("200 Version_1");
        assertThat(pair.local().requests().matching("GET", "/api/metadata/sync").stream()
                .map(r -> r.query())).noneMatch(q -> q.contains("Version_2")).anyMatch(q -> q.contains("Version_1"));
        assertThat(pair.local().catalog().exists("optionSets", "HashOkSet01")).isTrue();
        assertThat(pair.local().catalog().exists("optionSets", "HashBadSet1")).isFalse();
        assertThat(pair.local().catalog().exists("optionSets", "HashLater01")).isFalse();
        assertThat(column("select name || ' ' || status || ' ' || (failed_at is not null) from metadata_version order by created"))
                .containsExactly("Version_1 IMPORTED false", "Version_2 FAILED true");
        assertThat(mails()).extracting(MimeMessage::getSubject).containsExactly(
                "Success Notification: Metadata Synchronization", "Action Required: MetadataSync Failed Notification");
        assertThat(GreenMailUtil.getBody(mails().get(1))).contains("Category: metadata sync", "Version: Version_2",
                "corrupted");
        // /observe/metrics: two versions went to the local import, one went in, one failed; the job run FAILED
        String metrics = ManagementEndpoints.get(engine, "/observe/metrics").body();
        assertThat(metadataDelta(metricsBefore, metrics, "dhis2sync_objects_sent_total")).isEqualTo(2);
        assertThat(metadataDelta(metricsBefore, metrics, "dhis2sync_objects_settled_total")).isEqualTo(1);
        assertThat(metadataDelta(metricsBefore, metrics, "dhis2sync_pages_failed_total")).isEqualTo(1);
        assertThat(ManagementEndpoints.metric(metrics, "dhis2sync_job_runs_total", "job", "META_DATA_SYNC",
                "status", "FAILED")).isEqualTo(1);
    }

    private static double metadataDelta(String before, String after, String name) {
        return ManagementEndpoints.metric(after, name, "stage", "metadataVersions")
                - ManagementEndpoints.metric(before, name, "stage", "metadataVersions");
    }

    @Test
    @Order(3)
    void differentDhis2VersionStopsWhenOptionOn() throws Exception {
        noVersions();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.41.1", optionSet("OtherVer001", "Other version")));

        JobRun run = runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("does not match the master version (2.41.1)",
                "metadata.sync.stopIfVersionsDiffer=false");
        assertThat(pair.local().catalog().exists("optionSets", "OtherVer001")).isFalse();
    }

    @Test
    @Order(4)
    void differentDhis2VersionProceedsWhenOptionOff() throws Exception {
        noVersions();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.41.1", optionSet("OtherVer002", "Other version ok")));
        Map<String, String> lenientSettings = settings(false);
        lenientSettings.put("sync.mail.username", ""); // an SMTP server without authentication
        lenientSettings.put("sync.mail.password", "");
        try (Engine lenient = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg-lenient"),
                TestEngines.routesWith(temp.resolve("lenient")), lenientSettings)))) {
            JobRun run = runJob(lenient);
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        }
        assertThat(pair.local().catalog().exists("optionSets", "OtherVer002")).isTrue();
        assertThat(mails()).extracting(MimeMessage::getSubject)
                .containsExactly("Success Notification: Metadata Synchronization");
    }

    @Test
    @Order(5)
    void atomicImportWithMissingReferenceStops() throws Exception {
        noVersions();
        MetadataVersionStore central = pair.central().metadataVersions();
        central.add(MetadataVersion.Type.ATOMIC, snapshot("2.40", optionSet("AtomicSet01", "Atomic set"),
                dataElement("AtomicDe001", "MissingCC01")));
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.40", optionSet("AfterAtom01", "After atomic")));

        JobRun run = runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("Version_1", "ERROR", "E5002");
        assertThat(pair.local().catalog().exists("optionSets", "AtomicSet01")).isFalse();
        assertThat(pair.local().catalog().exists("optionSets", "AfterAtom01")).isFalse();
        // the pull stopped at Version_1: the local DHIS2 was never asked for Version_2 and knows no version
        assertThat(pair.local().requests().matching("GET", "/api/metadata/sync").stream()
                .map(r -> r.query())).noneMatch(q -> q.contains("Version_2"));
        assertThat(localVersionAnswer()).isEqualTo("500 ");
        assertThat(column("select status || ' ' || (report::text like '%E5002%') from metadata_version"))
                .containsExactly("FAILED true");
        assertThat(GreenMailUtil.getBody(mails().get(0))).contains("Import errors:", "E5002");
    }

    @Test
    @Order(6)
    void bestEffortWithWarningsContinuesAndRecordsThem() throws Exception {
        noVersions();
        MetadataVersionStore central = pair.central().metadataVersions();
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.40", optionSet("BestSet0001", "Best effort set"),
                dataElement("BestDe00001", "MissingCC02")));
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.40", optionSet("BestAfter01", "After best effort")));

        JobRun run = runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.local().catalog().exists("optionSets", "BestSet0001")).isTrue();
        assertThat(pair.local().catalog().exists("dataElements", "BestDe00001")).isFalse();
        assertThat(pair.local().catalog().exists("optionSets", "BestAfter01")).isTrue();
        assertThat(column("select name || ' ' || status || ' ' || (report::text like '%E5002%') from metadata_version order by created"))
                .containsExactly("Version_1 IMPORTED true", "Version_2 IMPORTED false");
        assertThat(progressJson(run)).contains("WARNING with 1 warning(s)");
        assertThat(GreenMailUtil.getBody(mails().get(0))).contains("WARNING", "E5002");
    }

    @Test
    @Order(7)
    void versionCreatedOnTheLocalInstanceIsRefused() throws Exception {
        noVersions();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("CentralOnly1", "Central only")));
        // the local instance created its own Version_1 (same name as central's, different content and hash)
        pair.local().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("LocalOnly01", "Local only")));

        JobRun run = runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("Version_1 differs from the central DHIS2's Version_1",
                "created on the local instance itself", "run META_DATA_SYNC again");
        assertThat(pair.local().catalog().exists("optionSets", "CentralOnly1")).isFalse();

        // a local version central does not have at all
        pair.local().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("LocalOnly02", "Local only 2")));
        JobRun second = runJob();
        assertThat(second.summary()).contains("Version_2 does not exist on the central DHIS2");
        assertThat(column("select name from metadata_version")).isEmpty();
    }

    @Test
    @Order(8)
    void transientFailuresAreRetriedThenFailTheJob() throws Exception {
        noVersions();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("RetrySet001", "Retried")));
        pair.central().faults().on("GET", "/api/metadata/version/Version_1/data").requests(1, 2)
                .fail(Fault.status(503));
        long downloads = pair.central().requests().count("GET", "/api/metadata/version/Version_1/data");

        JobRun run = runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        // three attempts by dhis2-sync, then one download by the local DHIS2 itself
        assertThat(pair.central().requests().count("GET", "/api/metadata/version/Version_1/data") - downloads)
                .isEqualTo(4);
        assertThat(pair.local().catalog().exists("optionSets", "RetrySet001")).isTrue();
        assertThat(mails()).extracting(MimeMessage::getSubject)
                .containsExactly("Success Notification: Metadata Synchronization");

        // 503 for ever: metadata.sync.retry (3) attempts, then the job fails and says so by mail
        mail.purgeEmailFromAllMailboxes();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("NeverSet001", "Never")));
        long before = pair.central().requests().count("GET", "/api/metadata/version/history");
        pair.central().faults().on("GET", "/api/metadata/version/history").fromRequest(1).fail(Fault.status(503));

        JobRun failed = runJob();

        assertThat(failed.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(pair.central().requests().count("GET", "/api/metadata/version/history") - before).isEqualTo(3);
        assertThat(failed.summary()).contains("version list", "503");
        assertThat(mails()).extracting(MimeMessage::getSubject)
                .containsExactly("Action Required: MetadataSync Failed Notification");
        assertThat(GreenMailUtil.getBody(mails().get(0))).contains("Category: version list");
    }

    @Test
    @Order(9)
    void failedDataPushMeansNoMetadataPull() throws Exception {
        noVersions();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("NotPulled01", "Not pulled")));
        push.failWith = "DataValueSynchronization failed. Remote server is unavailable.";
        long before = pair.central().requests().count("GET", "/api/metadata");

        JobRun run = runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(pair.central().requests().count("GET", "/api/metadata")).isEqualTo(before);
        assertThat(pair.local().catalog().exists("optionSets", "NotPulled01")).isFalse();
        assertThat(GreenMailUtil.getBody(mails().get(0))).contains("Category: data push",
                "DataValueSynchronization failed");
    }

    @Test
    @Order(10)
    void localWithoutRemoteSettingsFailsWithAdviceAndNoSecret() throws Exception {
        noVersions();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("NoRemote001", "No remote")));
        pair.local().systemSettings().clear();

        JobRun run = runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("Version_1", "Remote server is not configured", "keyRemoteInstanceUrl",
                "keyRemoteInstancePassword").doesNotContain("district");
        assertThat(pair.local().catalog().exists("optionSets", "NoRemote001")).isFalse();
        assertThat(column("select name || ' ' || status from metadata_version")).containsExactly("Version_1 FAILED");

        // once the local DHIS2 has its remote settings, the next run applies the version
        configureLocalRemote();
        JobRun next = runJob();
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(localVersionAnswer()).isEqualTo("200 Version_1");
    }

    @Test
    @Order(11)
    void localPullingFromAnotherServerIsDetectedByTheHash() throws Exception {
        noVersions();
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("RealCentral", "From central")));
        // the local DHIS2's remote settings point to another server that has a different Version_1
        try (SandboxPair other = SandboxPair.start(Dhis2Version.of(40), Dhis2Version.of(40))) {
            other.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                    snapshot("2.40", optionSet("OtherServer", "From elsewhere")));
            pair.local().systemSettings().put("keyRemoteInstanceUrl", other.centralServer().url());

            JobRun run = runJob();

            assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
            assertThat(run.summary()).contains("Version_1", "keyRemoteInstanceUrl points to another server");
        }
    }

    @Test
    @Order(12)
    void versionsImportedBeforeTheLocalServerRegisteredThemRemainTheBaseline() throws Exception {
        noVersions();
        MetadataVersion first = pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("Legacy00001", "Applied by an older dhis2-sync")));
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2.40", optionSet("AfterLegacy", "After the upgrade")));
        // an older dhis2-sync imported Version_1 through POST /api/metadata: recorded here, unknown to the local DHIS2
        sql("insert into metadata_version (name, type, hash, created, imported_at, status) values ('Version_1',"
                + " 'BEST_EFFORT', '" + first.hash() + "', now() - interval '1 day', now(), 'IMPORTED')");

        JobRun run = runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.local().requests().matching("GET", "/api/metadata/sync")).extracting(r -> r.query())
                .containsExactly("versionName=Version_2");
        assertThat(localVersionAnswer()).isEqualTo("200 Version_2");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The local DHIS2's {@code GET /api/metadata/version}: "status name" (name empty when none). */
    private static String localVersionAnswer() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(pair.localServer().url()
                        + "/api/metadata/version"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "admin:district".getBytes(java.nio.charset.StandardCharsets.UTF_8))).GET().build();
        var answer = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + JSON.readTree(answer.body()).path("name").asText("");
    }

    private static JobRun runJob() {
        return runJob(engine);
    }

    private static JobRun runJob(Engine e) {
        e.context().createProducerTemplate().send("direct:default.job.META_DATA_SYNC", x -> { });
        return e.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class)
                .lastFinished("META_DATA_SYNC").orElseThrow();
    }

    private static List<MimeMessage> mails() {
        return List.of(mail.getReceivedMessages());
    }

    private static String progressJson(JobRun run) throws Exception {
        return JSON.writeValueAsString(run.progress().processes().stream().map(p -> p.getDescription() + " | "
                + p.getSummary() + " | " + p.getError() + " | " + p.getStages().stream()
                .map(s -> s.getDescription() + ": " + s.getSummary() + " / " + s.getError()).toList()).toList());
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static List<String> column(String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = engine.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static String snapshot(String systemVersion, ObjectNode... objects) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("system").put("id", "sys").put("rev", "abc").put("version", systemVersion)
                .put("date", "2024-05-01T00:00:00.000");
        for (ObjectNode o : objects) {
            String type = o.remove("_type").asText();
            root.withArray(type).add(o);
        }
        return root.toString();
    }

    private static ObjectNode optionSet(String id, String name) {
        ObjectNode o = JSON.createObjectNode().put("_type", "optionSets").put("id", id).put("name", name)
                .put("code", id.toUpperCase()).put("valueType", "TEXT");
        return o;
    }

    private static ObjectNode dataElement(String id, String categoryCombo) {
        ObjectNode o = JSON.createObjectNode().put("_type", "dataElements").put("id", id).put("name", "DE " + id)
                .put("shortName", "DE " + id).put("valueType", "INTEGER").put("domainType", "AGGREGATE")
                .put("aggregationType", "SUM");
        o.putObject("categoryCombo").put("id", categoryCombo);
        return o;
    }
}
