package org.dhis2.sync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dhis2.sync.engine.SyncedPair;
import org.dhis2.sync.job.JobRun;
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

/** The request ledger of a real DATA_SYNC run against the sandbox: one row per HTTP call, matched to what DHIS2 saw. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequestLedgerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOCAL_PASSWORD = "Loc4l-" + "pw-7Hq";
    static final String CENTRAL_PASSWORD = "C3ntral-" + "pw-2Zk";
    static final String ADMIN_PASSWORD = "Adm1n-" + "pw-9Lx";

    @TempDir
    static Path temp;
    static SyncedPair f;
    static RequestLedger ledger;
    static JobRun run;

    @BeforeAll
    static void start() throws Exception {
        f = SyncedPair.startSyncing(temp, 40, 42, GeneratorSpec.small(), pair -> {
            pair.local().setCredentials("admin", LOCAL_PASSWORD);
            pair.central().setCredentials("admin", CENTRAL_PASSWORD);
            return Map.of("sync.dataValues.pageSize", "50", "sync.completeRegistrations.pageSize", "50",
                    "sync.events.pageSize", "7",
                    "local.password", LOCAL_PASSWORD, "central.password", CENTRAL_PASSWORD,
                    "sync.admin.username", "ops", "sync.admin.password", ADMIN_PASSWORD);
        });
        ledger = f.engine.context().getRegistry().lookupByNameAndType("requestLedger", RequestLedger.class);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @Order(1)
    void everyCallOfADataSyncRunIsOneRowMatchingWhatTheInstancesReceived() throws Exception {
        int values = f.pair.local().aggregate().size();
        assertThat(values).as("5 pages of 50").isBetween(201, 250);
        f.pair.local().requests().clear();
        f.pair.central().requests().clear();
        // page 2's first two attempts answered 503: attempts 1, 2 fail, attempt 3 goes through
        f.pair.central().faults().on("POST", "/api/dataValueSets").requests(2, 3).fail(Fault.status(503));

        run = f.run("DATA_SYNC");

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(ledger.flush(Duration.ofSeconds(10))).isTrue();
        List<Map<String, Object>> rows = rows("select * from request_ledger where run_id = " + run.id()
                + " order by at, id");
        List<RequestLog.Entry> received = new ArrayList<>(f.pair.local().requests().all());
        received.addAll(f.pair.central().requests().all());

        // one row per call, and each instance saw the X-Request-ID the row holds
        assertThat(received).allSatisfy(e -> assertThat(e.requestId()).as("%s %s", e.method(), e.path()).isNotNull());
        assertThat(rows.stream().map(r -> r.get("request_id").toString()).toList())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(received.stream().map(RequestLog.Entry::requestId).toList());
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("sync_pair")).isEqualTo("default");
            assertThat(r.get("job_type")).isEqualTo("DATA_SYNC");
            assertThat((Long) r.get("millis")).isNotNegative();
        });

        // the data value pages: step, page, method, instance, status, attempts, bytes
        Map<String, RequestLog.Entry> byId = received.stream()
                .collect(Collectors.toMap(RequestLog.Entry::requestId, e -> e));
        List<Map<String, Object>> posts = rows.stream().filter(r -> "dataValues.post".equals(r.get("step"))).toList();
        assertThat(posts).hasSize(7);
        Map<Integer, List<Map<String, Object>>> byPage = new LinkedHashMap<>();
        for (Map<String, Object> p : posts) {
            assertThat(p.get("stage")).isEqualTo("dataValues");
            assertThat(p.get("method")).isEqualTo("POST");
            assertThat(p.get("instance")).isEqualTo(f.pair.centralServer().url());
            assertThat(p.get("path")).isEqualTo("/api/dataValueSets");
            RequestLog.Entry seen = byId.get(p.get("request_id").toString());
            assertThat(seen.path()).isEqualTo("/api/dataValueSets");
            assertThat(p.get("status")).isEqualTo(seen.status());
            // bytes out: exactly the body central received
            assertThat(((Long) p.get("bytes_out")).intValue()).isEqualTo(seen.body().length).isPositive();
            assertThat((Long) p.get("bytes_in")).isPositive();
            byPage.computeIfAbsent((Integer) p.get("page"), k -> new ArrayList<>()).add(p);
        }
        assertThat(byPage.keySet()).containsExactly(1, 2, 3, 4, 5);
        List<Map<String, Object>> page2 = byPage.get(2);
        assertThat(page2.stream().map(r -> r.get("attempt"))).containsExactly(1, 2, 3);
        assertThat(page2.stream().map(r -> r.get("status"))).containsExactly(503, 503, 200);
        assertThat(page2.stream().map(r -> r.get("request_id")).distinct()).hasSize(3);
        for (int page : List.of(1, 3, 4, 5)) {
            assertThat(byPage.get(page)).singleElement().satisfies(r -> {
                assertThat(r.get("attempt")).isEqualTo(1);
                assertThat(r.get("status")).isEqualTo(200);
            });
        }
        long centralPostBytes = f.pair.central().requests().matching("POST", "/api/dataValueSets").stream()
                .mapToLong(e -> e.body().length).sum();
        assertThat(posts.stream().mapToLong(r -> (Long) r.get("bytes_out")).sum()).isEqualTo(centralPostBytes);

        // the local export: streamed, read to its end; not part of a page
        assertThat(rows).filteredOn(r -> "dataValues.export".equals(r.get("step"))).singleElement().satisfies(r -> {
            assertThat(r.get("method")).isEqualTo("GET");
            assertThat(r.get("instance")).isEqualTo(f.pair.localServer().url());
            assertThat(r.get("path").toString()).startsWith("/api/dataValueSets?").contains("includeDeleted=true");
            assertThat(r.get("status")).isEqualTo(200);
            assertThat((Long) r.get("bytes_in")).isGreaterThan(values * 50L);
            assertThat(r.get("page")).isNull();
        });
        assertThat(rows).filteredOn(r -> "completeRegistrations.post".equals(r.get("step")))
                .isNotEmpty().allSatisfy(r -> assertThat(r.get("page")).isNotNull());

        System.out.printf("request ledger figures: %d rows for %d requests received; data value POSTs %d rows,"
                + " %d bytes out = %d bytes central received%n", rows.size(), received.size(), posts.size(),
                posts.stream().mapToLong(r -> (Long) r.get("bytes_out")).sum(), centralPostBytes);
        // no secret in any row
        for (Map<String, Object> r : rows) {
            String all = r.values().toString();
            assertThat(all).doesNotContain(LOCAL_PASSWORD).doesNotContain(CENTRAL_PASSWORD)
                    .doesNotContain(Base64.getEncoder().encodeToString(("admin:" + CENTRAL_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)))
                    .doesNotContainIgnoringCase("authorization").doesNotContain("Basic ").doesNotContain("@");
        }
    }

    @Test
    @Order(2)
    void aCallWithoutAnswerIsRecordedWithItsFailureForEachAttempt() throws Exception {
        var live = f.pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted() && v.value().matches("\\d+")).toList();
        var v = live.get(3);
        f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                v.attributeOptionCombo(), String.valueOf(Integer.parseInt(v.value()) + 1));
        f.pair.central().requests().clear();
        // central drops the connection without an answer, three times: every attempt of the page
        f.pair.central().faults().on("POST", "/api/dataValueSets").requests(1, 2, 3)
                .fail(Fault.hang(Duration.ofMillis(50)));

        JobRun failed = f.run("DATA_SYNC");

        f.pair.central().faults().clear();
        assertThat(failed.status()).as(failed.summary()).isEqualTo(JobRun.Status.FAILED);
        assertThat(ledger.flush(Duration.ofSeconds(10))).isTrue();
        List<Map<String, Object>> post = rows("select * from request_ledger where run_id = " + failed.id()
                + " and step = 'dataValues.post' order by attempt");
        assertThat(post.stream().map(r -> r.get("attempt"))).containsExactly(1, 2, 3);
        List<String> dropped = f.pair.central().requests().matching("POST", "/api/dataValueSets").stream()
                .filter(e -> e.status() == 0).map(RequestLog.Entry::requestId).toList();
        assertThat(dropped).hasSize(3);
        assertThat(post.stream().map(r -> r.get("request_id").toString())).containsExactlyElementsOf(dropped);
        assertThat(post).allSatisfy(r -> {
            assertThat(r.get("status")).isNull();
            assertThat(r.get("failure").toString()).matches("([a-z0-9]+\\.)+[A-Z]\\w*(Exception|Error)");
            assertThat(r.get("page")).isEqualTo(1);
            assertThat((Long) r.get("bytes_out")).isPositive();
        });
        System.out.println("request ledger figures: a call without answer recorded as " + post.get(0).get("failure"));
    }

    @Test
    @Order(3)
    void theAdminApiListsTheCallsOfARunFilteredAndPaged() throws Exception {
        long total = count("select count(*) from request_ledger where run_id = " + run.id());
        JsonNode ofRun = admin("/api/jobs/runs/" + run.jobId() + "/requests?pageSize=1000");
        assertThat(ofRun.path("pager").path("total").asLong()).isEqualTo(total);
        assertThat(ofRun.path("requests")).hasSize((int) total);
        JsonNode failed = admin("/api/requests?run=" + run.jobId() + "&status=5xx");
        assertThat(failed.path("pager").path("total").asInt()).isEqualTo(2);
        for (JsonNode r : failed.path("requests")) {
            assertThat(r.path("status").asInt()).isEqualTo(503);
            assertThat(r.path("page").asInt()).isEqualTo(2);
            assertThat(r.path("jobId").asText()).isEqualTo(run.jobId());
            assertThat(r.path("requestId").asText()).hasSize(36);
        }
        JsonNode paged = admin("/api/requests?pageSize=3&page=2&since=" + run.started().minusSeconds(1));
        assertThat(paged.path("requests")).hasSize(3);
        assertThat(paged.path("pager").path("total").asLong()).isGreaterThanOrEqualTo(total);
        // calls outside any run (the start-up check of the central user) have no run and no pair
        JsonNode all = admin("/api/requests?pageSize=1000");
        List<JsonNode> startUp = new ArrayList<>();
        all.path("requests").forEach(r -> {
            if (r.path("step").asText().equals("checks.get")) {
                startUp.add(r);
            }
        });
        assertThat(startUp).singleElement().satisfies(r -> {
            assertThat(r.path("path").asText()).isEqualTo("/api/me");
            assertThat(r.path("jobId").isMissingNode() || r.path("jobId").isNull()).isTrue();
            assertThat(r.path("instance").asText()).isEqualTo(f.pair.centralServer().url());
            assertThat(r.path("status").asInt()).isEqualTo(200);
        });
        assertThat(status("/api/requests?status=teapot", basic())).isEqualTo(400);
        assertThat(status("/api/requests", null)).isEqualTo(401);
    }

    @Test
    @Order(4)
    void retentionDeletesRowsOlderThanTheSettingAndKeepsNewerOnes() throws Exception {
        assertThat(ledger.retentionDays()).isEqualTo(30);
        long before = count("select count(*) from request_ledger");
        Instant now = Instant.now();
        try (Connection c = f.engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("insert into request_ledger (method, instance, path, millis,"
                     + " attempt, request_id, at) values ('GET', 'http://x', '/api/old', 1, 1, gen_random_uuid(), ?)")) {
            for (int days : List.of(31, 45, 400, 29)) {
                s.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(days))));
                s.executeUpdate();
            }
        }

        Object deleted = f.engine.context().createProducerTemplate().requestBody("direct:requestLedger.purge", (Object) null);

        assertThat(deleted).isEqualTo(3);
        assertThat(count("select count(*) from request_ledger")).isEqualTo(before + 1);
        assertThat(count("select count(*) from request_ledger where path = '/api/old'")).isEqualTo(1);
        assertThat(count("select count(*) from request_ledger where run_id = " + run.id())).isPositive();
    }

    @Test
    @Order(5)
    void trackerPagesSentInParallelCarryTheirPageNumbers() throws Exception {
        f.pair.central().requests().clear();

        JobRun events = f.run("EVENT_PROGRAMS_DATA_SYNC");

        assertThat(events.status()).as(events.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(ledger.flush(Duration.ofSeconds(10))).isTrue();
        List<Map<String, Object>> pages = rows("select * from request_ledger where run_id = " + events.id()
                + " and step = 'events.sendPage'");
        List<RequestLog.Entry> posts = f.pair.central().requests().matching("POST", "/api/tracker");
        long deletes = count("select count(*) from request_ledger where run_id = " + events.id()
                + " and step = 'events.sendDeletes' and page is not null");
        assertThat(pages.size() + deletes).isEqualTo(posts.size());
        assertThat(pages).hasSizeGreaterThanOrEqualTo(4);
        assertThat(pages.stream().map(r -> (Integer) r.get("page")).sorted().toList())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, pages.size()).boxed().toList());
        assertThat(pages).allSatisfy(r -> {
            assertThat(r.get("stage")).isEqualTo("events");
            assertThat(r.get("status")).isEqualTo(200);
            assertThat(r.get("path").toString()).startsWith("/api/tracker");
        });
        System.out.println("request ledger figures: " + pages.size() + " event pages, pages "
                + pages.stream().map(r -> r.get("page")).sorted().toList());
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("ops:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode admin(String path) throws Exception {
        HttpResponse<String> r = send(path, basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(ADMIN_PASSWORD).doesNotContain(CENTRAL_PASSWORD);
        return JSON.readTree(r.body());
    }

    static int status(String path, String authorization) throws Exception {
        return send(path, authorization).statusCode();
    }

    static HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.engine.managementPort()
                + path)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static long count(String sql) throws Exception {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    static List<Map<String, Object>> rows(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = f.engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnLabel(i), v instanceof Timestamp t ? t.toInstant() : v);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static Set<String> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get("request_id").toString()).collect(Collectors.toSet());
    }
}
