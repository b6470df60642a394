package org.dhis2.sync.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dhis2.sync.admin.AdminHttp;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobMBeans;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore.DataValue;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three sync pairs in one engine: the default pair L1 → C1, pair {@code b} L2 → C1 (two locals, one central) and pair
 * {@code c} L1 → C2 (one local, two centrals). L1 and L2 hold the data values of different org units, so C1 must end
 * with both sets and C2 with L1's; every pair keeps its own watermarks, bookkeeping, runs, metrics and JMX names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreePairsTest {

    private static final String USER = "operator";
    private static final String PASSWORD = "pairs-secret-1";
    @TempDir
    static Path temp;
    private SandboxPair one; // L1, C1
    private SandboxPair two; // L2, C2
    private Engine engine;
    private AdminHttp http;
    private GreenMail mail;

    @BeforeAll
    void start() throws Exception {
        GeneratorSpec spec = GeneratorSpec.small();
        one = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(42));
        two = SandboxPair.start(Dhis2Version.of(40), Dhis2Version.of(41));
        SandboxGenerator.populate(one, spec);
        SandboxGenerator.populate(two, spec);
        splitOrgUnits(one.local(), two.local());
        two.local().tracker().clear(); // L2 only feeds aggregate data: its tracker world is L1's (same seed)
        Map<String, String> props = new HashMap<>();
        props.put("local.url", one.localServer().url());
        props.put("central.url", one.centralServer().url());
        pair(props, "b", two.localServer().url(), one.centralServer().url());
        pair(props, "c", one.localServer().url(), two.centralServer().url());
        props.put("pair.b.sync.dataValues.pageSize", "60"); // a pair's own tunable
        // mail: the SMTP server for every pair, a recipient for pair b only
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        props.put("sync.mail.host", "127.0.0.1");
        props.put("sync.mail.port", String.valueOf(mail.getSmtp().getPort()));
        props.put("sync.mail.username", "");
        props.put("sync.notifications.email", "");
        props.put("pair.b.sync.notifications.email", "b-admin@example.org");
        props.put("sync.availability.attempts", "2");
        props.put("sync.availability.delayMillis", "1");
        props.put("sync.admin.username", USER);
        props.put("sync.admin.password", PASSWORD);
        engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                TestEngines.routesWith(temp), props)));
        http = new AdminHttp(engine.managementPort());
    }

    private static void pair(Map<String, String> props, String name, String local, String central) {
        props.put("pair." + name + ".local.url", local);
        props.put("pair." + name + ".local.username", "admin");
        props.put("pair." + name + ".local.password", "district");
        props.put("pair." + name + ".central.url", central);
        props.put("pair." + name + ".central.username", "admin");
        props.put("pair." + name + ".central.password", "district");
    }

    /** L1 keeps the values of the first half of the org units, L2 those of the second half. */
    private static void splitOrgUnits(Dhis2Instance l1, Dhis2Instance l2) {
        List<DataValue> all = l1.aggregate().values();
        List<String> orgUnits = all.stream().map(DataValue::orgUnit).distinct().sorted().toList();
        Set<String> first = Set.copyOf(orgUnits.subList(0, orgUnits.size() / 2));
        l1.aggregate().clear();
        l1.aggregate().putAll(all.stream().filter(v -> first.contains(v.orgUnit())).toList());
        l2.aggregate().clear();
        l2.aggregate().putAll(all.stream().filter(v -> !first.contains(v.orgUnit())).toList());
        l2.aggregate().registrations().forEach(r -> l2.aggregate().removeRegistration(r.dataSet(), r.period(),
                r.organisationUnit(), r.attributeOptionCombo()));
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        one.close();
        two.close();
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    @Order(1)
    void twoLocalsReachOneCentralAndOneLocalReachesTwoCentrals() {
        assertThat(engine.pairs().keySet()).containsExactly("default", "b", "c");
        assertThat(run("default", "DATA_SYNC").status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(run("b", "DATA_SYNC").status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(run("c", "DATA_SYNC").status()).isEqualTo(JobRun.Status.SUCCESS);

        Map<String, String> l1 = live(one.local()), l2 = live(two.local());
        assertThat(l1).isNotEmpty();
        assertThat(l2).isNotEmpty();
        assertThat(l1.keySet()).doesNotContainAnyElementsOf(l2.keySet());
        Map<String, String> both = new TreeMap<>(l1);
        both.putAll(l2);
        assertThat(live(one.central())).isEqualTo(both);
        assertThat(live(two.central())).isEqualTo(l1);
    }

    @Test
    @Order(2)
    void trackerDataOfOneLocalReachesBothOfItsCentrals() {
        assertThat(run("default", "TRACKER_PROGRAMS_DATA_SYNC").status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(run("c", "TRACKER_PROGRAMS_DATA_SYNC").status()).isEqualTo(JobRun.Status.SUCCESS);
        int local = one.local().tracker().count(Kind.TRACKED_ENTITY, false);
        assertThat(local).isPositive();
        assertThat(one.central().tracker().count(Kind.TRACKED_ENTITY, false)).isEqualTo(local);
        assertThat(two.central().tracker().count(Kind.TRACKED_ENTITY, false)).isEqualTo(local);
    }

    @Test
    @Order(3)
    void eachPairKeepsItsOwnBookkeeping() throws Exception {
        // the same local's tracked entities are recorded once per pair that sent them
        long sentByDefault = count("select count(*) from sync_item where kind = 'TRACKED_ENTITY'"
                + " and sync_pair = 'default' and state = 'SYNCED'");
        assertThat(sentByDefault).isPositive().isEqualTo(count("select count(*) from sync_item"
                + " where kind = 'TRACKED_ENTITY' and sync_pair = 'c' and state = 'SYNCED'"));
        assertThat(count("select count(*) from sync_item where sync_pair = 'b' and kind = 'TRACKED_ENTITY'"))
                .isZero();
        assertThat(count("select count(distinct sync_pair) from stage_watermark where stage = 'dataValues'"))
                .isEqualTo(3);
        assertThat(count("select count(*) from job_run where sync_pair = 'b'")).isEqualTo(1);
        assertThat(count("select count(*) from job_run where sync_pair = 'c'")).isEqualTo(2);

        // a change on L1 goes to both of its centrals, and pair b has nothing to send
        DataValue changed = one.local().aggregate().values().stream().filter(v -> !v.deleted()
                && v.value().matches("\\d+")).findFirst().orElseThrow();
        one.local().aggregate().setValue(changed.dataElement(), changed.period(), changed.orgUnit(),
                changed.categoryOptionCombo(), changed.attributeOptionCombo(), "4242");
        long postsToC1 = one.central().requests().count("POST", "/api/dataValueSets");
        JobRun b = run("b", "DATA_SYNC");
        assertThat(b.status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(one.central().requests().count("POST", "/api/dataValueSets")).isEqualTo(postsToC1);
        run("default", "DATA_SYNC");
        run("c", "DATA_SYNC");
        assertThat(live(one.central())).containsEntry(key(changed), "4242");
        assertThat(live(two.central())).containsEntry(key(changed), "4242");
    }

    @Test
    @Order(4)
    void theAdminApiTheMetricsAndJmxNameThePair() throws Exception {
        String auth = AdminHttp.basic(USER, PASSWORD);
        long historyAsked = one.central().requests().count("GET", "/api/metadata/version/history");
        AdminHttp.Answer fleet = http.get("/api/pairs", auth);
        assertThat(fleet.status()).isEqualTo(200);
        // the default pair and b share C1: its metadata history is asked once for both
        assertThat(one.central().requests().count("GET", "/api/metadata/version/history") - historyAsked)
                .isEqualTo(1);
        Map<String, JsonNode> byName = new HashMap<>();
        fleet.json().forEach(p -> byName.put(p.path("pair").asText(), p));
        assertThat(byName.keySet()).containsExactlyInAnyOrder("default", "b", "c");
        assertThat(byName.get("b").path("local").path("version").asText()).startsWith("2.40");
        assertThat(byName.get("b").path("central").path("version").asText()).startsWith("2.42");
        assertThat(byName.get("c").path("central").path("version").asText()).startsWith("2.41");
        JsonNode bData = stage(byName.get("b"), "dataValues");
        assertThat(bData.path("lastSuccess").isNull()).isFalse();
        assertThat(bData.path("lagSeconds").asLong()).isBetween(0L, 600L);
        assertThat(stage(byName.get("b"), "trackedEntities").path("lastSuccess").isNull()).isTrue();
        // local has imported no metadata version yet: it is behind by every version central C2 has
        assertThat(byName.get("c").path("metadata").path("versionsBehind").asInt(-1))
                .isEqualTo(two.central().metadataVersions().list().size()).isPositive();

        // the pair's own paths, the old ones meaning default, an unknown pair 404
        JsonNode bJobs = http.get("/api/pairs/b/jobs", auth).json();
        assertThat(job(bJobs, "DATA_SYNC").path("lastExecutedStatus").asText()).isEqualTo("SUCCESS");
        assertThat(job(bJobs, "TRACKER_PROGRAMS_DATA_SYNC").path("lastExecutedStatus").asText())
                .isEqualTo("NOT_STARTED");
        assertThat(job(http.get("/api/jobs", auth).json(), "TRACKER_PROGRAMS_DATA_SYNC")
                .path("lastExecutedStatus").asText()).isEqualTo("SUCCESS");
        JsonNode bRuns = http.get("/api/pairs/b/jobs/DATA_SYNC/runs", auth).json();
        assertThat(bRuns.path("runs").size()).as(bRuns.toString()).isEqualTo(2);
        assertThat(http.get("/api/pairs/nowhere/jobs", auth).status()).isEqualTo(404);
        // only the path names a pair: a request header "pair" on an old path still means default
        java.net.http.HttpResponse<String> spoofed = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + engine.managementPort()
                        + "/api/jobs")).header("Authorization", auth).header("pair", "b").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(job(org.dhis2.sync.admin.AdminHttp.JSON.readTree(spoofed.body()), "TRACKER_PROGRAMS_DATA_SYNC")
                .path("lastExecutedStatus").asText()).isEqualTo("SUCCESS");
        assertThat(http.get("/api/pairs", null).status()).isEqualTo(401);
        AdminHttp.Answer runNow = http.post("/api/pairs/c/jobs/DATA_SYNC/execute", auth);
        assertThat(runNow.status()).isEqualTo(200);

        String metrics = org.dhis2.sync.engine.ManagementEndpoints.get(engine, "/observe/metrics").body();
        assertThat(metrics).contains("dhis2sync_job_runs_total{job=\"DATA_SYNC\",pair=\"b\",status=\"SUCCESS\"}");
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(JobMBeans.name("b", "DATA_SYNC")))
                .isTrue();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(JobMBeans.name("DATA_SYNC"))).isTrue();
        for (AdminHttp.Answer a : http.answers) {
            assertThat(a.body()).doesNotContain(PASSWORD).doesNotContain("district");
        }
    }

    /** A pair's own notification recipient gets its metadata sync mails; a pair without one sends none. */
    @Test
    @Order(5)
    void aPairsOwnMailRecipientGetsItsMetadataSyncMails() throws Exception {
        // L2 is new to C1's metadata (its sandbox versions came from C2) and its own metadata sync setting points to
        // C1, as pair b's central
        two.local().metadataVersions().clear();
        two.local().systemSettings().put("keyRemoteInstanceUrl", one.centralServer().url());
        two.local().systemSettings().put("keyRemoteInstanceUsername", "admin");
        two.local().systemSettings().put("keyRemoteInstancePassword", "district");
        one.local().systemSettings().put("keyRemoteInstanceUrl", one.centralServer().url());
        one.local().systemSettings().put("keyRemoteInstanceUsername", "admin");
        one.local().systemSettings().put("keyRemoteInstancePassword", "district");
        String system = Dhis2Version.of(42).toString();
        one.central().metadataVersions().add(org.dhis2.sync.sandbox.MetadataVersion.Type.BEST_EFFORT,
                "{\"system\":{\"id\":\"sys\",\"rev\":\"abc\",\"version\":\"" + system
                        + "\",\"date\":\"2024-05-01T00:00:00.000\"},\"optionSets\":[{\"id\":\"PairMail001\","
                        + "\"name\":\"PairMail001\",\"code\":\"PAIRMAIL001\",\"valueType\":\"TEXT\"}]}");
        String newest = one.central().metadataVersions().currentVersionName().orElseThrow();

        JobRun b = run("b", "META_DATA_SYNC");
        assertThat(b.status()).as(b.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(two.local().metadataVersions().currentVersionName()).hasValue(newest);
        mail.waitForIncomingEmail(10_000, 1);
        MimeMessage[] sent = mail.getReceivedMessages();
        assertThat(sent).isNotEmpty().allSatisfy(m -> assertThat(m.getAllRecipients())
                .extracting(Object::toString).containsExactly("b-admin@example.org"));
        assertThat(sent).anySatisfy(m -> assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(m))
                .contains(newest));

        mail.purgeEmailFromAllMailboxes();
        JobRun other = run("default", "META_DATA_SYNC");
        assertThat(other.status()).as(other.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(one.local().metadataVersions().currentVersionName()).hasValue(newest);
        Thread.sleep(1000); // a mail would have been sent before the run ended; give the SMTP server a moment
        assertThat(mail.getReceivedMessages()).as("the default pair has no recipient").isEmpty();
    }

    private JobRun run(String pair, String jobType) {
        engine.context().createProducerTemplate().send("direct:" + pair + ".job." + jobType, e -> { });
        return engine.pairs().get(pair).jobs().lastFinished(jobType).orElseThrow();
    }

    private static Map<String, String> live(Dhis2Instance instance) {
        return instance.aggregate().values().stream().filter(v -> !v.deleted())
                .collect(Collectors.toMap(ThreePairsTest::key, DataValue::value, (a, b) -> b, TreeMap::new));
    }

    private static String key(DataValue v) {
        return v.dataElement() + "/" + v.period() + "/" + v.orgUnit() + "/" + v.categoryOptionCombo() + "/"
                + v.attributeOptionCombo();
    }

    private long count(String sql) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static JsonNode stage(JsonNode pair, String stage) {
        for (JsonNode s : pair.path("stages")) {
            if (s.path("stage").asText().equals(stage)) {
                return s;
            }
        }
        throw new AssertionError(stage + " not in " + pair);
    }

    private static JsonNode job(JsonNode jobs, String jobType) {
        for (JsonNode j : jobs) {
            if (j.path("jobType").asText().equals(jobType)) {
                return j;
            }
        }
        throw new AssertionError(jobType + " not in " + jobs);
    }
}
