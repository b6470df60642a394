package org.dhis2.sync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
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
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API end to end: real engine, embedded PostgreSQL, a sandbox DHIS2 pair, real HTTP. One story:
 * authentication on every endpoint, jobs run over HTTP, their trees and history, conflicts and items after rejected
 * data, resend, 409 while running, a FAILED run, paging and bad parameters; finally no answer or log line holds a
 * secret. Run-now goes through the engine's own jobControl (job scheduling).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

    static final String USER = "ops";
    static final String PASSWORD = "Adm1n-Pa55-" + "q7Zr";
    static final String TOKEN = "tok-" + "3f9c1d7e5b2a4c6e8f0a1b2c3d4e5f60";
    static final String BASIC = AdminHttp.basic(USER, PASSWORD);
    static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    static Path temp;
    SandboxPair pair;
    Engine engine;
    AdminHttp http;
    ListAppender<ILoggingEvent> log;

    @BeforeAll
    void start() throws Exception {
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        pair = SandboxPair.start(Dhis2Version.of(42), Dhis2Version.of(42));
        SandboxGenerator.populate(pair, GeneratorSpec.small());
        pair.central().requests().setRecordBodies(true);
        Map<String, String> props = new HashMap<>(Map.of(
                "local.url", pair.localServer().url(), "central.url", pair.centralServer().url(),
                "sync.availability.attempts", "2", "sync.availability.delayMillis", "1",
                "sync.dataValues.pageSize", "50", "sync.events.pageSize", "7",
                "sync.admin.username", USER, "sync.admin.password", PASSWORD, "sync.admin.token", TOKEN));
        // every endpoint is tried with wrong credentials: the wrong-login throttle (WrongLoginsTest) must not step in
        props.put("sync.admin.maxFailedLogins", "10000");
        engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                TestEngines.routesWith(temp), props)));
        http = new AdminHttp(engine.settings().managementPort());
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        if (engine != null) {
            engine.close();
        }
        pair.close();
    }

    /** Every REST endpoint the engine serves, with sample path parameters, read from the loaded route files. */
    List<String[]> endpoints() {
        List<String[]> all = new ArrayList<>();
        for (RestDefinition rest : ((ModelCamelContext) engine.context()).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = (rest.getPath() + verb.getPath()).replace("{jobType}", "DATA_SYNC")
                        .replace("{kind}", "dataValue").replace("{uid}", "x")
                        .replace("{operation}", "generate").replace("{pair}", "default")
                        .replace("{jobId}", "00000000-0000-0000-0000-000000000000");
                all.add(new String[] {verb.asVerb().toUpperCase(), path});
            }
        }
        return all;
    }

    @Test
    @Order(1)
    void everyEndpointAnswers401WithoutOrWithWrongCredentials() {
        List<String[]> endpoints = endpoints();
        assertThat(endpoints.stream().map(e -> e[0] + " " + e[1])).containsExactlyInAnyOrder(
                "GET /api/jobs", "POST /api/jobs/DATA_SYNC/execute", "GET /api/jobs/DATA_SYNC/runs",
                "GET /api/scheduling/completed/DATA_SYNC", "GET /api/scheduling/running/DATA_SYNC",
                "GET /api/sync/conflicts", "GET /api/sync/items",
                "POST /api/sync/items/dataValue/x/resend", "GET /api/trackedEntityAttributes/x/generate",
                "POST /api/download/trackedEntities", "GET /api/pairs",
                // issue 17: the request ledger
                "GET /api/requests", "GET /api/jobs/runs/00000000-0000-0000-0000-000000000000/requests",
                // issue 17: the operator console's reads
                "GET /api/jobs/runs/00000000-0000-0000-0000-000000000000", "GET /api/metadata/versions",
                "GET /api/stats/daily",
                // every path once more for a pair named in it
                "GET /api/pairs/default/jobs", "POST /api/pairs/default/jobs/DATA_SYNC/execute",
                "GET /api/pairs/default/jobs/DATA_SYNC/runs", "GET /api/pairs/default/scheduling/completed/DATA_SYNC",
                "GET /api/pairs/default/scheduling/running/DATA_SYNC", "GET /api/pairs/default/sync/conflicts",
                "GET /api/pairs/default/sync/items", "POST /api/pairs/default/sync/items/dataValue/x/resend",
                "GET /api/pairs/default/trackedEntityAttributes/x/generate",
                "POST /api/pairs/default/download/trackedEntities",
                "GET /api/pairs/default/requests",
                "GET /api/pairs/default/jobs/runs/00000000-0000-0000-0000-000000000000/requests",
                "GET /api/pairs/default/jobs/runs/00000000-0000-0000-0000-000000000000",
                "GET /api/pairs/default/metadata/versions", "GET /api/pairs/default/stats/daily");
        List<String> wrong = new ArrayList<>();
        wrong.add(null);
        wrong.add(AdminHttp.basic(USER, PASSWORD + "x"));
        wrong.add(AdminHttp.basic("admin", PASSWORD));
        wrong.add(AdminHttp.basic(USER, TOKEN));
        wrong.add("Basic not-base64!");
        wrong.add("Bearer " + TOKEN.substring(1));
        wrong.add("ApiToken " + PASSWORD);
        wrong.add("Bearer ");
        wrong.add(TOKEN);
        for (String[] e : endpoints) {
            for (String authorization : wrong) {
                AdminHttp.Answer a = http.send(e[0], e[1], authorization);
                assertThat(a.status()).as("%s %s with %s", e[0], e[1], authorization).isEqualTo(401);
                assertThat(a.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                        assertThat(v).contains("Basic realm=").contains("Bearer realm="));
                assertThat(a.json().path("httpStatusCode").asInt()).isEqualTo(401);
                assertThat(a.json().path("status").asText()).isEqualTo("ERROR");
            }
        }
        assertThat(pair.central().requests().count("POST", "/api/dataValueSets")).as("nothing ran").isZero();
    }

    @Test
    @Order(2)
    void basicBearerAndApiTokenAreAccepted() {
        for (String authorization : List.of(BASIC, BEARER, "ApiToken " + TOKEN, "bearer " + TOKEN)) {
            AdminHttp.Answer jobs = http.get("/api/jobs", authorization);
            assertThat(jobs.status()).as(authorization).isEqualTo(200);
            assertThat(jobs.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(jobs.json().findValuesAsText("jobType")).contains("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC",
                    "TRACKER_PROGRAMS_DATA_SYNC", "META_DATA_SYNC");
            assertThat(job(jobs.json(), "DATA_SYNC").path("lastExecutedStatus").asText()).isEqualTo("NOT_STARTED");
            assertThat(jobs.headers().map().keySet()).as("request headers are not echoed")
                    .noneMatch(h -> h.equalsIgnoreCase("Authorization"));
        }
        AdminHttp.Answer never = http.get("/api/scheduling/completed/DATA_SYNC", BASIC);
        assertThat(never.status()).isEqualTo(404);
        assertThat(never.json().path("message").asText()).contains("DATA_SYNC has not completed a run");
        assertThat(http.get("/api/jobs/DATA_SYNC/runs", BASIC).json().path("pager").path("total").asInt()).isZero();
    }

    @Test
    @Order(3)
    void runNowOverHttpIsServedAsDhis2TreeWithConflictsAndErrorItems() {
        AggregateStore.DataValue v = rejectedValue();
        pair.central().faults().rejectedUids().add(v.orgUnit());

        AdminHttp.Answer started = http.post("/api/jobs/DATA_SYNC/execute", BEARER);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.json().path("httpStatus").asText()).isEqualTo("OK");
        String jobId = started.json().path("response").path("jobId").asText();
        assertThat(jobId).isNotBlank();
        JobRun run = awaitFinished("DATA_SYNC", jobId);
        // a value central rejected fails the run (issue 11 #9)
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.FAILED);

        AdminHttp.Answer completed = http.get("/api/scheduling/completed/DATA_SYNC", BASIC);
        assertThat(completed.status()).isEqualTo(200);
        JsonNode tree = completed.json();
        assertThat(tree.isArray()).as("DHIS2 2.40 shape: an array of processes").isTrue();
        assertThat(tree).hasSize(2);
        JsonNode dataValues = tree.get(0);
        assertThat(dataValues.path("jobId").asText()).isEqualTo(jobId);
        assertThat(dataValues.path("description").asText()).isEqualTo("Starting DataValueSynchronization job");
        assertThat(dataValues.path("status").asText()).isEqualTo("ERROR");
        assertThat(dataValues.path("complete").asBoolean()).isTrue();
        assertThat(dataValues.path("error").asText()).contains("rejected by central (conflicts recorded)");
        for (String field : List.of("error", "startedTime", "completedTime", "duration", "stages")) {
            assertThat(dataValues.has(field)).as(field).isTrue();
        }
        JsonNode pages = dataValues.path("stages").get(1);
        assertThat(pages.path("onFailure").asText()).isEqualTo("SKIP_ITEM");
        assertThat(pages.path("totalItems").asInt()).isEqualTo(pages.path("items").size()).isGreaterThan(0);
        assertThat(pages.path("items").get(0).path("description").asText()).startsWith("Synchronizing page 1");
        assertThat(pages.path("items").get(0).path("onFailure").asText()).isEqualTo("SKIP_ITEM");
        assertThat(tree.get(1).path("description").asText())
                .isEqualTo("Starting Complete data set registration synchronization job.");

        JsonNode job = job(http.get("/api/jobs", BEARER).json(), "DATA_SYNC");
        assertThat(job.path("lastExecutedStatus").asText()).isEqualTo("FAILED");
        assertThat(java.time.Instant.parse(job.path("lastExecuted").asText()))
                .isCloseTo(run.started(), org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
        assertThat(job.path("running").asBoolean()).isFalse();

        JsonNode runs = http.get("/api/jobs/DATA_SYNC/runs", BEARER).json();
        assertThat(runs.path("pager").path("total").asInt()).isEqualTo(1);
        JsonNode first = runs.path("runs").get(0);
        assertThat(first.path("jobId").asText()).isEqualTo(jobId);
        assertThat(first.path("status").asText()).isEqualTo("FAILED");
        assertThat(first.path("trigger").asText()).isEqualTo("MANUAL");
        assertThat(first.path("finished").asText()).isNotBlank();
        assertThat(first.path("summary").asText()).isEqualTo(run.summary());

        String key = key(v);
        JsonNode conflicts = http.get("/api/sync/conflicts?kind=dataValue", BEARER).json();
        assertThat(conflicts.path("pager").path("total").asInt()).isEqualTo(conflicts.path("conflicts").size())
                .isGreaterThan(0);
        assertThat(conflicts.path("conflicts")).anySatisfy(c -> {
            assertThat(c.path("uid").asText()).isEqualTo(key);
            assertThat(c.path("errorCode").asText()).isEqualTo("E7612");
            assertThat(c.path("jobId").asText()).isEqualTo(jobId);
            assertThat(c.path("jobType").asText()).isEqualTo("DATA_SYNC");
            assertThat(c.path("value").asText()).contains("Organisation unit not found");
        });
        JsonNode items = http.get("/api/sync/items?state=ERROR&kind=dataValue", BEARER).json();
        assertThat(items.path("items").findValuesAsText("uid")).contains(key);
        assertThat(items.path("items").findValuesAsText("state")).containsOnly("ERROR");
        assertThat(http.get("/api/sync/items?state=SYNCED&kind=dataValue", BEARER).json()
                .path("items").findValuesAsText("uid")).doesNotContain(key);
    }

    @Test
    @Order(4)
    void resendSendsAnUnchangedRejectedValueAgain() throws Exception {
        AggregateStore.DataValue v = rejectedValue();
        String key = key(v);
        pair.central().faults().rejectedUids().clear();
        pair.central().requests().clear();
        runDirect("DATA_SYNC");
        assertThat(postedValueKeys()).as("unchanged rejected values are not re-sent by themselves")
                .doesNotContain(key);

        String path = "/api/sync/items/dataValue/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "/resend";
        AdminHttp.Answer resend = http.post(path, BASIC);
        assertThat(resend.status()).as(resend.body()).isEqualTo(200);
        assertThat(resend.json().path("response").path("uid").asText()).isEqualTo(key);
        assertThat(http.get("/api/sync/items?kind=dataValue&state=ERROR", BASIC).json().path("items"))
                .anySatisfy(i -> {
                    assertThat(i.path("uid").asText()).isEqualTo(key);
                    assertThat(i.path("resendRequested").asBoolean()).isTrue();
                });

        pair.central().requests().clear();
        JobRun run = runDirect("DATA_SYNC");
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        // data values carry no per-value sync state: the window reaches back to the value's change time, so values
        // changed since then travel again too (idempotent on central)
        assertThat(postedValueKeys()).containsOnlyOnce(key);
        assertThat(pair.central().aggregate().get(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                v.attributeOptionCombo()).orElseThrow().value()).isEqualTo(v.value());
        JsonNode now = http.get("/api/sync/items?kind=dataValue", BASIC).json().path("items");
        assertThat(now).anySatisfy(i -> {
            assertThat(i.path("uid").asText()).isEqualTo(key);
            assertThat(i.path("state").asText()).isEqualTo("SYNCED");
            assertThat(i.path("resendRequested").asBoolean()).isFalse();
        });

        pair.central().requests().clear();
        runDirect("DATA_SYNC");
        assertThat(postedValueKeys()).as("sent once, not on every run").isEmpty();

        AdminHttp.Answer unknown = http.post("/api/sync/items/dataValue/nope/resend", BASIC);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).contains("nope");
        AdminHttp.Answer nested = http.post("/api/sync/items/ENROLLMENT/abc/resend", BASIC);
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.json().path("message").asText()).contains("'kind'").contains("TRACKED_ENTITY");
        assertThat(http.post("/api/sync/items/bogus/abc/resend", BASIC).status()).isEqualTo(400);
    }

    @Test
    @Order(5)
    void resendSendsARejectedEventAgain() {
        assertThat(runDirect("EVENT_PROGRAMS_DATA_SYNC").status()).isEqualTo(JobRun.Status.SUCCESS);
        String event = pair.local().tracker().query(Kind.EVENT, null, null,
                i -> !i.deleted() && i.text("enrollment") == null, false, 0, -1, false).items().get(0).uid();
        pair.central().faults().rejectedUids().add(event);
        pair.local().tracker().touch(Kind.EVENT, event);
        JobRun rejected = runDirect("EVENT_PROGRAMS_DATA_SYNC");
        assertThat(rejected.status()).isEqualTo(JobRun.Status.FAILED);
        JsonNode errors = http.get("/api/sync/items?state=ERROR&kind=EVENT", BEARER).json();
        assertThat(errors.path("items").findValuesAsText("uid")).containsExactly(event);
        assertThat(http.get("/api/sync/conflicts?kind=EVENT", BEARER).json().path("conflicts")
                .findValuesAsText("uid")).contains(event);

        pair.central().faults().rejectedUids().remove(event);
        pair.central().requests().clear();
        assertThat(runDirect("EVENT_PROGRAMS_DATA_SYNC").status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(trackerPosts()).as("unchanged: not sent").doesNotContain(event);

        assertThat(http.post("/api/sync/items/EVENT/" + event + "/resend", BEARER).status()).isEqualTo(200);
        JobRun resent = runDirect("EVENT_PROGRAMS_DATA_SYNC");
        assertThat(resent.status()).as(resent.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(trackerPosts()).contains(event);
        assertThat(http.get("/api/sync/items?state=ERROR&kind=EVENT", BEARER).json().path("pager").path("total")
                .asInt()).isZero();
    }

    @Test
    @Order(6)
    void executeWhileRunningIs409AndUnknownJobIs404() {
        pair.central().faults().setLatency(Duration.ofMillis(400));
        pair.local().tracker().touch(Kind.EVENT, pair.local().tracker().query(Kind.EVENT, null, null,
                i -> !i.deleted() && i.text("enrollment") == null, false, 0, -1, false).items().get(1).uid());
        try {
            AdminHttp.Answer first = http.post("/api/jobs/EVENT_PROGRAMS_DATA_SYNC/execute", BASIC);
            assertThat(first.status()).isEqualTo(200);
            String jobId = first.json().path("response").path("jobId").asText();
            AdminHttp.Answer second = http.post("/api/jobs/EVENT_PROGRAMS_DATA_SYNC/execute", BASIC);
            assertThat(second.status()).as(second.body()).isEqualTo(409);
            assertThat(second.json().path("httpStatus").asText()).isEqualTo("Conflict");
            assertThat(second.json().path("status").asText()).isEqualTo("ERROR");
            assertThat(second.json().path("message").asText()).contains("EVENT_PROGRAMS_DATA_SYNC")
                    .contains("running");
            assertThat(job(http.get("/api/jobs", BASIC).json(), "EVENT_PROGRAMS_DATA_SYNC").path("running").asBoolean())
                    .isTrue();
            awaitFinished("EVENT_PROGRAMS_DATA_SYNC", jobId);
        } finally {
            pair.central().faults().setLatency(Duration.ZERO);
        }
        AdminHttp.Answer unknown = http.post("/api/jobs/NO_SUCH_JOB/execute", BASIC);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).contains("NO_SUCH_JOB");
        AdminHttp.Answer malformed = http.post("/api/jobs/data-sync/execute", BASIC);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("message").asText()).contains("'jobType'");
    }

    @Test
    @Order(7)
    void runWithCentralDownIsServedAsFailed() {
        pair.central().faults().on("GET", "/api").fromRequest(1).fail(Fault.status(503));
        pair.central().faults().on("POST", "/api").fromRequest(1).fail(Fault.status(503));
        try {
            String jobId = http.post("/api/jobs/DATA_SYNC/execute", BASIC).json().path("response").path("jobId")
                    .asText();
            JobRun run = awaitFinished("DATA_SYNC", jobId);
            assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        } finally {
            pair.central().faults().clear();
        }
        JsonNode tree = http.get("/api/scheduling/completed/DATA_SYNC", BASIC).json();
        assertThat(tree.get(0).path("status").asText()).isEqualTo("ERROR");
        assertThat(tree.get(0).path("error").asText()).contains("Remote server is unavailable");
        JsonNode job = job(http.get("/api/jobs", BASIC).json(), "DATA_SYNC");
        assertThat(job.path("lastExecutedStatus").asText()).isEqualTo("FAILED");
        JsonNode runs = http.get("/api/jobs/DATA_SYNC/runs?pageSize=2", BASIC).json();
        assertThat(runs.path("runs").findValuesAsText("status")).containsExactly("FAILED", "SUCCESS");
        assertThat(runs.path("runs").get(0).path("summary").asText()).contains("failed");
    }

    @Test
    @Order(8)
    void listsArePagedAndBadParametersAre400NamingTheParameter() {
        int total = http.get("/api/sync/conflicts", BASIC).json().path("pager").path("total").asInt();
        assertThat(total).isGreaterThanOrEqualTo(2);
        JsonNode page1 = http.get("/api/sync/conflicts?page=1&pageSize=1", BASIC).json();
        JsonNode page2 = http.get("/api/sync/conflicts?page=2&pageSize=1", BASIC).json();
        assertThat(page1.path("pager").path("pageCount").asInt()).isEqualTo(total);
        assertThat(page1.path("pager").path("page").asInt()).isEqualTo(1);
        assertThat(page1.path("conflicts")).hasSize(1);
        assertThat(page2.path("conflicts")).hasSize(1);
        assertThat(page1.path("conflicts").get(0).path("id")).isNotEqualTo(page2.path("conflicts").get(0).path("id"));
        JsonNode beyond = http.get("/api/sync/conflicts?page=" + (total + 1) + "&pageSize=1", BASIC).json();
        assertThat(beyond.path("conflicts")).isEmpty();
        assertThat(beyond.path("pager").path("total").asInt()).isEqualTo(total);
        JsonNode runs = http.get("/api/jobs/DATA_SYNC/runs?page=2&pageSize=1", BASIC).json();
        assertThat(runs.path("pager").path("pageCount").asInt()).isEqualTo(runs.path("pager").path("total").asInt());
        assertThat(runs.path("runs")).hasSize(1);

        Map<String, String> bad = Map.of(
                "/api/sync/items?state=BROKEN", "'state'",
                "/api/sync/items?kind=nothing", "'kind'",
                "/api/sync/items?pageSize=0", "'pageSize'",
                "/api/sync/conflicts?pageSize=1001", "'pageSize'",
                "/api/sync/conflicts?page=0", "'page'",
                "/api/sync/conflicts?page=abc", "'page'",
                "/api/jobs/DATA_SYNC/runs?pageSize=x", "'pageSize'");
        bad.forEach((path, parameter) -> {
            AdminHttp.Answer a = http.get(path, BASIC);
            assertThat(a.status()).as(path).isEqualTo(400);
            assertThat(a.json().path("httpStatus").asText()).isEqualTo("Bad Request");
            assertThat(a.json().path("message").asText()).as(path).contains(parameter);
        });
        assertThat(http.get("/api/sync/items?pageSize=1000&state=SYNCED", BASIC).status()).isEqualTo(200);
    }

    @Test
    @Order(9)
    void noAnswerOrLogLineHoldsASecret() {
        String basic64 = BASIC.substring("Basic ".length());
        assertThat(http.answers).hasSizeGreaterThan(100);
        for (AdminHttp.Answer a : http.answers) {
            String headers = a.headers().map().toString();
            for (String secret : List.of(PASSWORD, TOKEN, basic64, TOKEN.substring(1))) {
                assertThat(a.body()).doesNotContain(secret);
                assertThat(headers).doesNotContain(secret);
            }
        }
        assertThat(log.list).isNotEmpty();
        for (ILoggingEvent event : log.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain(PASSWORD).doesNotContain(TOKEN).doesNotContain(basic64);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode job(JsonNode jobs, String jobType) {
        for (JsonNode j : jobs) {
            if (j.path("jobType").asText().equals(jobType)) {
                return j;
            }
        }
        throw new AssertionError(jobType + " not in " + jobs);
    }

    private AggregateStore.DataValue rejectedValue() {
        return pair.local().aggregate().values().stream().filter(x -> !x.deleted() && x.value().matches("\\d+"))
                .skip(3).findFirst().orElseThrow();
    }

    private JobCoordinator jobs() {
        return engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class);
    }

    @Test
    @Order(10)
    void aRunningJobServesItsLiveTreeAndWritesItPerPage() throws Exception {
        List<AggregateStore.DataValue> values = pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted()).limit(200).toList();
        for (AggregateStore.DataValue v : values) {
            pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), v.value() + "1");
        }
        assertThat(http.get("/api/scheduling/running/DATA_SYNC", BASIC).status()).as("not running yet")
                .isEqualTo(404);
        pair.central().faults().setLatency(Duration.ofMillis(500));
        try {
            String jobId = http.post("/api/jobs/DATA_SYNC/execute", BASIC).json().path("response").path("jobId")
                    .asText();
            // the live tree over HTTP, with a finished page, while the run goes on
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                AdminHttp.Answer live = http.get("/api/scheduling/running/DATA_SYNC", BASIC);
                return live.status() == 200 && live.json().get(0).path("jobId").asText().equals(jobId)
                        && live.json().get(0).path("stages").findValues("items").stream()
                        .anyMatch(items -> items.findValuesAsText("status").contains("SUCCESS"));
            });
            // and the same progress in the bookkeeping, where a crashed run would leave it
            String stored = jdbcString("select progress::text from job_run where job_id = '" + jobId
                    + "' and status = 'RUNNING'");
            assertThat(stored).as("progress written while running").contains("\"SUCCESS\"").contains("Page");
            JobRun run = awaitFinished("DATA_SYNC", jobId);
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        } finally {
            pair.central().faults().setLatency(Duration.ZERO);
        }
        assertThat(http.get("/api/scheduling/running/DATA_SYNC", BASIC).status()).as("ended").isEqualTo(404);
        assertThat(http.get("/api/scheduling/running/data-sync", BASIC).status()).isEqualTo(400);
        assertThat(http.get("/api/scheduling/running/DATA_SYNC", null).status()).isEqualTo(401);
    }

    private String jdbcString(String sql) throws Exception {
        try (var c = engine.database().dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private JobRun awaitFinished(String jobType, String jobId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs().lastFinished(jobType)
                .filter(r -> r.jobId().equals(jobId)).isPresent());
        return jobs().lastFinished(jobType).orElseThrow();
    }

    private JobRun runDirect(String jobType) {
        engine.context().createProducerTemplate().send("direct:default.job." + jobType, e -> { });
        return jobs().lastFinished(jobType).orElseThrow();
    }

    private static String key(AggregateStore.DataValue v) {
        return v.dataElement() + '|' + v.period() + '|' + v.orgUnit() + '|' + v.categoryOptionCombo() + '|'
                + v.attributeOptionCombo();
    }

    private List<String> postedValueKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (RequestLog.Entry e : pair.central().requests().matching("POST", "/api/dataValueSets")) {
            for (JsonNode v : AdminHttp.JSON.readTree(e.bodyText()).path("dataValues")) {
                keys.add(v.path("dataElement").asText() + '|' + v.path("period").asText() + '|'
                        + v.path("orgUnit").asText() + '|' + v.path("categoryOptionCombo").asText() + '|'
                        + v.path("attributeOptionCombo").asText());
            }
        }
        return keys;
    }

    /** UIDs of the events central received in tracker imports since the request log was cleared. */
    private List<String> trackerPosts() {
        return pair.central().requests().matching("POST", "/api/tracker").stream()
                .flatMap(e -> {
                    try {
                        return AdminHttp.JSON.readTree(e.bodyText()).path("events").findValuesAsText("event")
                                .stream();
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }).collect(Collectors.toList());
    }

}
