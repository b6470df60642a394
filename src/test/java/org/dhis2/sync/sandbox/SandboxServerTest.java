package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxServerTest {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private SandboxServer server;

    @BeforeEach
    void start() throws IOException {
        server = SandboxServer.start(new Dhis2Instance("local", Dhis2Version.of(40)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pingFollowsDhis2AuthenticationRules() throws Exception {
        assertThat(get("/api/system/ping", null).statusCode()).isEqualTo(302);
        HttpResponse<String> wrong = get("/api/system/ping", basic("admin", "wrong"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(SandboxJson.MAPPER.readTree(wrong.body()).path("message").asText()).isEqualTo("Unauthorized");
        HttpResponse<String> ok = get("/api/system/ping", basic("admin", "district"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("pong");

        String token = server.instance().issueApiToken();
        assertThat(token).startsWith("d2pat_");
        assertThat(get("/api/system/ping", "ApiToken " + token).statusCode()).isEqualTo(200);
        assertThat(get("/api/system/ping", "ApiToken d2pat_nope").statusCode()).isEqualTo(401);
    }

    @Test
    @Contract("SYS-7")
    void systemInfoReportsVersionAndServerClock() throws Exception {
        server.instance().clock().setOffset(Duration.ofMinutes(10));
        JsonNode info = SandboxJson.MAPPER.readTree(get("/api/40/system/info", basic("admin", "district")).body());
        assertThat(info.path("version").asText()).isEqualTo("2.40");
        long serverMillis = Dhis2Dates.parse(info.path("serverDate").asText()).toEpochMilli();
        assertThat(serverMillis - System.currentTimeMillis()).isBetween(9 * 60_000L, 11 * 60_000L);
    }

    @Test
    void scriptedStatusFaultsFireOnExactlyTheScriptedRequests() throws Exception {
        server.instance().faults().on("GET", "/api/system/ping").requests(2, 3).fail(Fault.status(503));
        String auth = basic("admin", "district");
        assertThat(get("/api/system/ping", auth).statusCode()).isEqualTo(200);
        assertThat(get("/api/system/ping", auth).statusCode()).isEqualTo(503);
        assertThat(get("/api/system/ping", auth).statusCode()).isEqualTo(503);
        assertThat(get("/api/system/ping", auth).statusCode()).isEqualTo(200);
        assertThat(server.instance().requests().count("GET", "/api/system/ping")).isEqualTo(4);
    }

    @Test
    void resetMidBodyCutsTheAnswer() {
        server.instance().faults().on("GET", "/api/system/info").requests(1).fail(Fault.resetMidBody());
        assertThatThrownBy(() -> get("/api/system/info", basic("admin", "district"))).isInstanceOf(IOException.class);
        // one log entry for the cut request, made when its answer started
        assertThat(server.instance().requests().matching("GET", "/api/system/info")).hasSize(1);
    }

    @Test
    void malformedBodyIsNotJson() throws Exception {
        server.instance().faults().on("GET", "/api/system/info").requests(1).fail(Fault.malformedBody());
        String body = get("/api/system/info", basic("admin", "district")).body();
        assertThatThrownBy(() -> SandboxJson.MAPPER.readTree(body)).isInstanceOf(IOException.class);
    }

    @Test
    void unknownEndpointIs404WebMessage() throws Exception {
        HttpResponse<String> r = get("/api/nothingHere", basic("admin", "district"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(SandboxJson.MAPPER.readTree(r.body()).path("httpStatus").asText()).isEqualTo("Not Found");
    }

    @Test
    void requestLogMeasuresHowManyRequestsWereHandledAtOnce() throws Exception {
        server.instance().faults().setLatency(Duration.ofMillis(300));
        String auth = basic("admin", "district");
        get("/api/system/ping", auth);
        get("/api/system/ping", auth);
        assertThat(RequestLog.maxConcurrent(server.instance().requests().matching("GET", "/api/system/ping")))
                .isEqualTo(1);
        server.instance().requests().clear();
        var parallel = java.util.stream.IntStream.range(0, 3)
                .mapToObj(i -> java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        get("/api/system/ping", auth);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).toList();
        parallel.forEach(java.util.concurrent.CompletableFuture::join);
        assertThat(RequestLog.maxConcurrent(server.instance().requests().matching("GET", "/api/system/ping")))
                .isEqualTo(3);
    }

    @Test
    void changeAfterAnswerRunsOnlyAfterTheScriptedRequestWasHandled() throws Exception {
        java.util.List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.instance().faults().on("GET", "/api/system/ping").requests(2)
                .fail(Fault.changeAfterAnswer(() -> seen.add(server.instance().requests().count("GET", "/api"))));
        String auth = basic("admin", "district");
        assertThat(get("/api/system/ping", auth).body()).isEqualTo("pong");
        assertThat(seen).isEmpty();
        assertThat(get("/api/system/ping", auth).body()).isEqualTo("pong");
        assertThat(get("/api/system/ping", auth).body()).isEqualTo("pong");
        // ran once, after request 2 was answered (and logged), before request 3 came
        assertThat(seen).containsExactly(2L);
    }
}
