package org.dhis2.sync.reserved;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.ManagementEndpoints;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job RESERVED_VALUES and the hand-out over real HTTP: a sandbox pair (central reserves the values), the engine with
 * its embedded PostgreSQL, the admin API and /observe endpoints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReservedValuesTest {

    static final String RANDOM = "attrRandom1";
    static final String RANDOM_PATTERN = "RANDOM(#####)";
    static final String PER_ORG_UNIT = "attrOrgUnit";
    static final String PER_ORG_UNIT_PATTERN = "\"MR-\" + ORG_UNIT_CODE(...) + \"-\" + SEQUENTIAL(####)";
    static final String DATED = "attrDated01";
    static final String DATED_PATTERN = "CURRENT_DATE(yyyyMM) + \"-\" + RANDOM(X###)";
    static final String JOB = "RESERVED_VALUES";
    static final String ADMIN = basic("operator", "admin-password-1");
    static final String CLIENT = basic("site-a", "hand:out-pass");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SandboxPair pair;
    Engine engine;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41));
        for (Dhis2Instance instance : List.of(pair.local(), pair.central())) {
            attribute(instance, RANDOM, RANDOM_PATTERN);
            attribute(instance, PER_ORG_UNIT, PER_ORG_UNIT_PATTERN);
            attribute(instance, DATED, DATED_PATTERN);
        }
        // the local tracker program as DHIS2 answers the job's fields (organisationUnits[id,code], nested attributes)
        ObjectNode program = JSON.createObjectNode().put("id", "prgTracker1").put("name", "Tracker program")
                .put("programType", "WITH_REGISTRATION");
        program.putArray("organisationUnits").add(JSON.createObjectNode().put("id", "ouOslo00001").put("code", "OSLO"))
                .add(JSON.createObjectNode().put("id", "ouBergen001").put("code", "BERGEN"));
        ArrayNode links = program.putArray("programTrackedEntityAttributes");
        for (String uid : List.of(RANDOM, PER_ORG_UNIT, DATED)) {
            links.addObject().set("trackedEntityAttribute", pair.local().catalog()
                    .get("trackedEntityAttributes", uid).orElseThrow());
        }
        pair.local().catalog().put("programs", program);
        pair.central().requests().setRecordBodies(false);
        Map<String, String> props = new HashMap<>(Map.of(
                "local.url", pair.localServer().url(), "central.url", pair.centralServer().url(),
                "sync.availability.attempts", "1", "sync.availability.delayMillis", "1",
                "sync.admin.username", "operator", "sync.admin.password", "admin-password-1",
                "sync.reservedValues.clients", "site-a:hand:out-pass, site-b:other-pass",
                "sync.reservedValues.handoutFillWaitMillis", "30000"));
        engine = Engine.start(SyncSettings.forRun(
                TestEngines.properties(temp.resolve("pg"), TestEngines.routesWith(temp), props)));
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        pair.close();
    }

    @BeforeEach
    void emptyPools() throws Exception {
        sql("delete from reserved_value");
        pair.central().faults().clear();
        pair.central().clock().setOffset(Duration.ZERO);
        pair.central().requests().clear();
    }

    private static void attribute(Dhis2Instance instance, String uid, String pattern) {
        ObjectNode a = JSON.createObjectNode().put("id", uid).put("name", "Attribute " + uid)
                .put("valueType", "TEXT").put("generated", true).put("unique", true).put("pattern", pattern);
        instance.catalog().put("trackedEntityAttributes", a);
    }

    @Test
    void poolsBelowTheThresholdAreFilledUpToTheLimitPerAttributeAndOrgUnit() throws Exception {
        prefill(RANDOM, "", RANDOM_PATTERN, 30, Instant.now().plus(Duration.ofDays(30)), null);

        JobRun run = run();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(poolSize(RANDOM, "")).isEqualTo(100);
        assertThat(poolSize(PER_ORG_UNIT, "OSLO")).isEqualTo(100);
        assertThat(poolSize(PER_ORG_UNIT, "BERGEN")).isEqualTo(100);
        assertThat(poolSize(DATED, "")).isEqualTo(100);
        // central was asked for what was missing, with the org unit's code for ORG_UNIT_CODE patterns
        assertThat(reserveQueries(RANDOM)).containsExactly("numberToReserve=70");
        assertThat(reserveQueries(PER_ORG_UNIT)).containsExactlyInAnyOrder(
                "numberToReserve=100&ORG_UNIT_CODE=OSLO", "numberToReserve=100&ORG_UNIT_CODE=BERGEN");
        assertThat(values(PER_ORG_UNIT, "OSLO")).allMatch(v -> v.matches("MR-OSL-\\d{4}"));
        assertThat(values(PER_ORG_UNIT, "BERGEN")).allMatch(v -> v.matches("MR-BER-\\d{4}"));
        // every value filled in is reserved on central
        assertThat(centralReserved(PER_ORG_UNIT)).containsAll(values(PER_ORG_UNIT, "BERGEN"));

        // full pools: the next run asks central for nothing
        pair.central().requests().clear();
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().requests().count("GET", "/api/trackedEntityAttributes")).isZero();

        // bookkeeping and progress as for every job: the run list of the admin API, the progress tree, metrics
        Answer runs = get("/api/jobs/" + JOB + "/runs", ADMIN);
        assertThat(runs.status()).isEqualTo(200);
        assertThat(runs.body()).contains("SUCCESS");
        Answer completed = get("/api/scheduling/completed/" + JOB, ADMIN);
        assertThat(completed.body()).contains("Pool attribute attrOrgUnit org unit OSLO");
        String metrics = ManagementEndpoints.get(engine, "/observe/metrics").body();
        assertThat(ManagementEndpoints.metric(metrics, "dhis2sync_reserved_values_pool_size", "attribute",
                PER_ORG_UNIT, "orgUnit", "BERGEN")).isEqualTo(100.0);
    }

    @Test
    void expiredValuesOfBothKindsAreDroppedAndCounted() throws Exception {
        double expiredBefore = metric("dhis2sync_reserved_values_expired_total", RANDOM);
        double datedExpiredBefore = metric("dhis2sync_reserved_values_expired_total", DATED);
        // past central's expiryDate
        prefill(RANDOM, "", RANDOM_PATTERN, 60, Instant.now().minusSeconds(60), null);
        // made with another pattern: dropped as the SDK does, but not expired
        prefill(RANDOM, "", "RANDOM(####)", 5, Instant.now().plus(Duration.ofDays(30)), null);
        // CURRENT_DATE(yyyyMM) values made last month: still before central's expiryDate, but no longer this month's
        LocalDate today = LocalDate.now();
        Instant firstOfThisMonth = today.withDayOfMonth(1).atStartOfDay(ZoneId.systemDefault()).toInstant();
        prefill(DATED, "", DATED_PATTERN, 20, Instant.now().plus(Duration.ofDays(30)), firstOfThisMonth);

        JobRun run = run();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(values(RANDOM, "")).hasSize(100).allMatch(v -> v.matches("\\d{5}"));
        assertThat(values(DATED, "")).hasSize(100).noneMatch(v -> v.startsWith("pre-"));
        assertThat(metric("dhis2sync_reserved_values_expired_total", RANDOM) - expiredBefore).isEqualTo(60.0);
        assertThat(metric("dhis2sync_reserved_values_expired_total", DATED) - datedExpiredBefore).isEqualTo(20.0);
        // the values central made this month are valid until the 1st of next month (start of day, engine's zone)
        Instant firstOfNextMonth = today.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneId.systemDefault())
                .toInstant();
        assertThat(temporalValidity(DATED)).containsExactly(firstOfNextMonth);
        assertThat(temporalValidity(RANDOM)).isEmpty();
    }

    @Test
    void handOutTakesValuesOnceAndFillsALowPool() throws Exception {
        run();
        Answer one = get("/api/trackedEntityAttributes/" + RANDOM + "/generate", CLIENT);
        assertThat(one.status()).isEqualTo(200);
        JsonNode value = one.json();
        assertThat(value.path("ownerObject").asText()).isEqualTo("TRACKEDENTITYATTRIBUTE");
        assertThat(value.path("ownerUid").asText()).isEqualTo(RANDOM);
        assertThat(value.path("key").asText()).isEqualTo(RANDOM_PATTERN);
        assertThat(value.path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(values(RANDOM, "")).hasSize(99).doesNotContain(value.path("value").asText());

        Answer many = get("/api/trackedEntityAttributes/" + PER_ORG_UNIT
                + "/generateAndReserve?numberToReserve=60&ORG_UNIT_CODE=BERGEN", ADMIN);
        assertThat(many.status()).isEqualTo(200);
        assertThat(many.json()).hasSize(60);
        many.json().forEach(v -> assertThat(v.path("value").asText()).startsWith("MR-BER-"));
        // 100 - 60 = 40 < 50: filled again before handing out, back to 40 + 60 = 100 after
        assertThat(poolSize(PER_ORG_UNIT, "BERGEN")).isEqualTo(40);
        Answer next = get("/api/trackedEntityAttributes/" + PER_ORG_UNIT + "/generate?ORG_UNIT_CODE=BERGEN", CLIENT);
        assertThat(next.status()).isEqualTo(200);
        assertThat(poolSize(PER_ORG_UNIT, "BERGEN")).isEqualTo(99);

        // DHIS2's own errors
        Answer missing = get("/api/trackedEntityAttributes/" + PER_ORG_UNIT + "/generate", CLIENT);
        assertThat(missing.status()).isEqualTo(409);
        assertThat(missing.json().path("message").asText()).isEqualTo("Missing required values: ORG_UNIT_CODE");
        Answer tooMany = get("/api/trackedEntityAttributes/" + RANDOM + "/generateAndReserve?numberToReserve=1001",
                CLIENT);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("message").asText())
                .isEqualTo("You can only reserve between 1 and 1000 values in a single request.");
        Answer unknown = get("/api/trackedEntityAttributes/NoSuchAttr1/generate", CLIENT);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void aThousandConcurrentHandOutsGetAThousandDistinctValuesReservedOnCentral() throws Exception {
        run();
        ExecutorService threads = Executors.newFixedThreadPool(32);
        Set<String> handedOut = ConcurrentHashMap.newKeySet();
        List<Future<String>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                calls.add(threads.submit(() -> {
                    Answer a = get("/api/trackedEntityAttributes/" + RANDOM + "/generate", CLIENT);
                    if (a.status() != 200) {
                        throw new AssertionError(a.status() + " " + a.body());
                    }
                    return a.json().path("value").asText();
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<String> call : calls) {
                all.add(call.get());
            }
            handedOut.addAll(all);
            assertThat(all).hasSize(1000);
        } finally {
            threads.shutdownNow();
        }
        assertThat(handedOut).hasSize(1000);
        assertThat(values(RANDOM, "")).doesNotContainAnyElementsOf(handedOut);
        assertThat(centralReserved(RANDOM)).containsAll(handedOut);
        assertThat(metric("dhis2sync_reserved_values_handed_out_total", RANDOM)).isGreaterThanOrEqualTo(1000.0);
    }

    @Test
    void handOutOnlyCredentialsCanDoNothingElse() {
        assertThat(get("/api/trackedEntityAttributes/" + RANDOM + "/generate", CLIENT).status()).isEqualTo(200);
        assertThat(get("/api/trackedEntityAttributes/" + RANDOM + "/generate", basic("site-b", "other-pass"))
                .status()).isEqualTo(200);
        assertThat(get("/api/trackedEntityAttributes/" + RANDOM + "/generate", ADMIN).status()).isEqualTo(200);
        for (String path : List.of("/api/jobs", "/api/jobs/" + JOB + "/runs", "/api/scheduling/completed/" + JOB)) {
            assertThat(get(path, CLIENT).status()).as(path).isIn(401, 403);
        }
        assertThat(send("POST", "/api/jobs/" + JOB + "/execute", CLIENT).status()).isIn(401, 403);
        Answer none = get("/api/trackedEntityAttributes/" + RANDOM + "/generate", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("httpStatusCode").asInt()).isEqualTo(401);
        assertThat(get("/api/trackedEntityAttributes/" + RANDOM + "/generate", basic("site-a", "wrong")).status())
                .isEqualTo(401);
        assertThat(none.body()).doesNotContain("hand:out-pass");
    }

    @Test
    void emptyPoolWithCentralUnreachableIs409AndShowsInReadinessAndTheJobFails() throws Exception {
        pair.central().faults().on("GET", "/api/trackedEntityAttributes/").fromRequest(1).fail(Fault.status(503));
        pair.central().faults().on("GET", "/api/system/ping").fromRequest(1).fail(Fault.status(503));

        Answer refused = get("/api/trackedEntityAttributes/" + RANDOM + "/generate", CLIENT);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("httpStatus").asText()).isEqualTo("Conflict");
        assertThat(refused.json().path("status").asText()).isEqualTo("ERROR");
        assertThat(refused.json().path("message").asText()).contains("Unable to reserve id").contains(RANDOM)
                .contains("central answered 503");
        assertThat(refused.json().has("value")).isFalse();
        assertThat(values(RANDOM, "")).isEmpty();
        JsonNode check = check("reserved-values");
        assertThat(check.path("status").asText()).isEqualTo("DOWN");
        assertThat(check.toString()).contains(RANDOM).contains("central answered 503");
        assertThat(ManagementEndpoints.get(engine, "/observe/health/ready").statusCode()).isEqualTo(503);
        assertThat(ManagementEndpoints.get(engine, "/observe/health/live").body()).doesNotContain("reserved-values");

        pair.central().requests().clear();
        JobRun failed = run();
        assertThat(failed.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.summary()).contains("attribute " + RANDOM).contains("org unit OSLO")
                .contains("central answered 503");
        // the first pool used up the retries (metadata.sync.retry = 3 attempts); the others did not ask again
        assertThat(pair.central().requests().count("GET", "/api/trackedEntityAttributes/")).isEqualTo(3);

        pair.central().faults().clear();
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(check("reserved-values").path("status").asText()).isEqualTo("UP");
        assertThat(get("/api/trackedEntityAttributes/" + RANDOM + "/generate", CLIENT).status()).isEqualTo(200);
    }

    @Test
    void aRefusedReservationFailsTheRunNamingTheAttributeAndOrgUnit() throws Exception {
        // central refuses only the OSLO pool (e.g. its sequence is exhausted): 409, never retried
        pair.central().faults().on("GET", "/api/trackedEntityAttributes/" + PER_ORG_UNIT).requests(1)
                .fail(Fault.status(409));

        JobRun run = run();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("attribute " + PER_ORG_UNIT + " org unit ").contains("central answered 409")
                .doesNotContain("attribute " + RANDOM);
        assertThat(pair.central().requests().count("GET", "/api/trackedEntityAttributes/" + PER_ORG_UNIT))
                .isEqualTo(2);
        assertThat(poolSize(RANDOM, "")).isEqualTo(100);
        Answer runs = get("/api/jobs/" + JOB + "/runs", ADMIN);
        assertThat(runs.body()).contains("FAILED").contains(PER_ORG_UNIT);
    }

    @Test
    void aTransientFaultIsRetriedAndRunNowWorksThroughTheAdminApi() throws Exception {
        pair.central().faults().on("GET", "/api/trackedEntityAttributes/" + DATED).requests(1)
                .fail(Fault.status(503, "0"));

        Answer started = send("POST", "/api/jobs/" + JOB + "/execute", ADMIN);

        assertThat(started.status()).as(started.body()).isBetween(200, 202);
        String jobId = started.json().findValue("jobId").asText();
        JsonNode run = null;
        for (int i = 0; i < 200 && run == null; i++) {
            for (JsonNode r : get("/api/jobs/" + JOB + "/runs", ADMIN).json().path("runs")) {
                if (r.path("jobId").asText().equals(jobId) && !r.path("status").asText().equals("RUNNING")) {
                    run = r;
                }
            }
            Thread.sleep(50);
        }
        assertThat(run).as("the run ended").isNotNull();
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        assertThat(run.path("trigger").asText()).isEqualTo("MANUAL");
        assertThat(pair.central().requests().count("GET", "/api/trackedEntityAttributes/" + DATED)).isEqualTo(2);
        assertThat(poolSize(DATED, "")).isEqualTo(100);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private JobRun run() {
        engine.context().createProducerTemplate().send("direct:default.job." + JOB, e -> { });
        return engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class)
                .lastFinished(JOB).orElseThrow();
    }

    private List<String> reserveQueries(String attribute) {
        return pair.central().requests().matching("GET", "/api/trackedEntityAttributes/" + attribute
                + "/generateAndReserve").stream().map(e -> e.query()).toList();
    }

    private Set<String> centralReserved(String attribute) {
        return pair.central().reservedValues().reserved(attribute).stream().map(v -> v.value())
                .collect(Collectors.toSet());
    }

    private double metric(String name, String attribute) throws Exception {
        Double v = ManagementEndpoints.metric(ManagementEndpoints.get(engine, "/observe/metrics").body(), name,
                "attribute", attribute, "orgUnit", "");
        return v == null ? 0 : v;
    }

    private JsonNode check(String name) throws Exception {
        for (JsonNode c : JSON.readTree(ManagementEndpoints.get(engine, "/observe/health").body()).path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no health check " + name);
    }

    private void prefill(String attribute, String orgUnit, String pattern, int n, Instant expiry, Instant validity)
            throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("insert into reserved_value (attribute, org_unit_code, key, "
                     + "value, pattern, created, expiry_date, temporal_validity) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                s.setString(1, attribute);
                s.setString(2, orgUnit);
                s.setString(3, pattern);
                s.setString(4, "pre-" + pattern.length() + "-" + i);
                s.setString(5, pattern);
                s.setTimestamp(6, Timestamp.from(Instant.now().minusSeconds(3600)));
                s.setTimestamp(7, Timestamp.from(expiry));
                s.setTimestamp(8, validity == null ? null : Timestamp.from(validity));
                s.executeUpdate();
            }
        }
    }

    /** The distinct temporal_validity values of an attribute's pool (nulls left out). */
    private List<Instant> temporalValidity(String attribute) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select distinct temporal_validity from reserved_value "
                     + "where attribute = ? and temporal_validity is not null")) {
            s.setString(1, attribute);
            List<Instant> result = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getTimestamp(1).toInstant());
                }
            }
            return result;
        }
    }

    private int poolSize(String attribute, String orgUnit) throws Exception {
        return values(attribute, orgUnit).size();
    }

    private List<String> values(String attribute, String orgUnit) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select value from reserved_value where attribute = ? and org_unit_code = ? order by value")) {
            s.setString(1, attribute);
            s.setString(2, orgUnit);
            List<String> values = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(statement)) {
            s.executeUpdate();
        }
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Answer get(String path, String authorization) {
        return send("GET", path, authorization);
    }

    Answer send(String method, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.managementPort() + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
