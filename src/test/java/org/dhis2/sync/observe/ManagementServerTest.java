package org.dhis2.sync.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jolokia at /observe/jolokia behind the admin login, and the management server's bind address. */
class ManagementServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String USER = "ops";
    static final String PASSWORD = "Jolo-Pa55-" + "x9Qe";
    static final String TOKEN = "tok-" + "7a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e";

    @TempDir
    Path temp;

    Engine start(Path dir, Map<String, String> extra) throws Exception {
        Map<String, String> props = new java.util.HashMap<>(Map.of(
                "local.url", "http://127.0.0.1:" + TestEngines.freePort(),
                "central.url", "http://127.0.0.1:" + TestEngines.freePort(),
                "sync.admin.username", USER, "sync.admin.password", PASSWORD, "sync.admin.token", TOKEN));
        props.put("sync.admin.maxFailedLogins", "10000"); // wrong credentials on purpose, many (WrongLoginsTest)
        props.putAll(extra);
        return Engine.start(SyncSettings.forRun(TestEngines.properties(dir.resolve("pg"),
                TestEngines.routesWith(dir), props)));
    }

    static HttpResponse<String> send(String host, int port, String method, String path, String authorization,
                                     String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jolokiaAnswersOnlyWithTheAdminCredentialsAndTheDefaultHostIsEveryInterface() throws Exception {
        try (Engine engine = start(temp, Map.of())) {
            int port = engine.managementPort();
            List<HttpResponse<String>> answers = new ArrayList<>();
            String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}";
            List<String> wrong = new ArrayList<>(java.util.Arrays.asList(null, basic(USER, PASSWORD + "x"),
                    basic("admin", PASSWORD), "Bearer " + TOKEN.substring(1), "Basic not-base64!", TOKEN));
            for (String path : List.of("/observe/jolokia", "/observe/jolokia/", "/observe/jolokia/version",
                    "/observe/jolokia/read/java.lang:type=Memory", "/observe/jolokia/list/org.apache.camel")) {
                for (String authorization : wrong) {
                    for (String method : List.of("GET", "POST")) {
                        HttpResponse<String> a = send("127.0.0.1", port, method, path, authorization,
                                method.equals("POST") ? read : null);
                        answers.add(a);
                        assertThat(a.statusCode()).as("%s %s with %s", method, path, authorization).isEqualTo(401);
                        assertThat(a.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                                assertThat(v).contains("Basic realm=").contains("Bearer realm="));
                        assertThat(JSON.readTree(a.body()).path("httpStatusCode").asInt()).isEqualTo(401);
                        assertThat(a.body()).doesNotContain("HeapMemoryUsage").doesNotContain("used");
                    }
                }
            }

            HttpResponse<String> memory = send("127.0.0.1", port, "GET",
                    "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage", basic(USER, PASSWORD), null);
            answers.add(memory);
            assertThat(memory.statusCode()).as(memory.body()).isEqualTo(200);
            assertThat(JSON.readTree(memory.body()).path("value").path("used").asLong()).isPositive();

            String route = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=dhis2-sync,type=routes,"
                    + "name=\\\"requestLedgerPurge\\\"\",\"attribute\":\"State\"}";
            HttpResponse<String> camel = send("127.0.0.1", port, "POST", "/observe/jolokia", "Bearer " + TOKEN,
                    route);
            answers.add(camel);
            assertThat(camel.statusCode()).as(camel.body()).isEqualTo(200);
            JsonNode state = JSON.readTree(camel.body());
            assertThat(state.path("status").asInt()).as(camel.body()).isEqualTo(200);
            assertThat(state.path("value").asText()).isEqualTo("Started");

            // what could carry a secret is denied even to the admin
            HttpResponse<String> props = send("127.0.0.1", port, "GET",
                    "/observe/jolokia/read/java.lang:type=Runtime/SystemProperties", basic(USER, PASSWORD), null);
            answers.add(props);
            assertThat(JSON.readTree(props.body()).path("status").asInt()).as(props.body()).isEqualTo(403);

            // health stays open for container probes
            HttpResponse<String> health = send("127.0.0.1", port, "GET", "/observe/health", null, null);
            assertThat(health.statusCode()).isIn(200, 503);

            for (HttpResponse<String> a : answers) {
                assertThat(a.body()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
            }

            // default sync.management.host=0.0.0.0: every interface, e.g. another loopback address
            assertThat(server(engine).getHost()).isEqualTo("0.0.0.0");
            assertThat(send("127.0.0.2", port, "GET", "/observe/health", null, null).statusCode()).isIn(200, 503);
        }
    }

    @Test
    void managementHostLoopbackAnswersOnlyThere() throws Exception {
        try (Engine engine = start(temp, Map.of("sync.management.host", "127.0.0.1"))) {
            int port = engine.managementPort();
            assertThat(server(engine).getHost()).isEqualTo("127.0.0.1");
            assertThat(send("127.0.0.1", port, "GET", "/observe/health", null, null).statusCode()).isIn(200, 503);
            // another address of this machine: a second loopback address and, when there is one, a network address
            List<InetAddress> others = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.2")));
            otherLocalAddress().ifPresent(others::add);
            for (InetAddress other : others) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(other, port), 2000);
                    }
                }).as("port %d on %s", port, other).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void aHostThatIsNoAddressIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"), temp,
                Map.of("local.url", "http://127.0.0.1:1", "central.url", "http://127.0.0.1:2",
                        "sync.management.host", "every interface"))))
                .hasMessageContaining("sync.management.host").hasMessageContaining("not an IP address");
    }

    static VertxPlatformHttpServer server(Engine engine) {
        return engine.context().hasService(VertxPlatformHttpServer.class);
    }

    static Optional<InetAddress> otherLocalAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
