package org.dhis2.sync.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.config.Dhis2Connection;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.ManagementEndpoints;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** /observe/health's DHIS2 checks and the start-up security warnings, against a sandbox pair over real HTTP. */
class DhisHealthAndSecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "Health-S3cret-Pw";

    /** One bookkeeping database for the class: each engine restarts on it (an initdb costs seconds). */
    @TempDir
    static Path temp;
    SandboxPair pair;
    ListAppender<ILoggingEvent> log;

    @BeforeEach
    void start() throws Exception {
        pair = SandboxPair.start(Dhis2Version.of(40), Dhis2Version.of(42));
        pair.local().setCredentials("admin", SECRET);
        log = new ListAppender<>();
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void stop() {
        root().detachAppender(log);
        pair.close();
    }

    @Test
    void healthShowsBothInstancesCachedDownWithTheReasonAndUpAgainWhileLivenessStaysUp() throws Exception {
        try (Engine engine = engine(Map.of("sync.health.dhis2.cacheSeconds", "2",
                "sync.health.dhis2.timeoutMillis", "500"))) {
            pair.central().requests().clear();
            HttpResponse<String> up = ManagementEndpoints.get(engine, "/observe/health");
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            JsonNode local = check(up, "dhis2-local");
            assertThat(local.path("status").asText()).isEqualTo("UP");
            assertThat(local.path("message").asText()).contains("DHIS2 2.40");
            assertThat(check(up, "dhis2-central").path("message").asText()).contains("DHIS2 2.42");

            // a second probe within sync.health.dhis2.cacheSeconds does not ask DHIS2 again
            ManagementEndpoints.get(engine, "/observe/health");
            assertThat(pair.central().requests().count("GET", "/api/system/info")).isEqualTo(1);

            pair.central().setCredentials("admin", "changed");
            JsonNode denied = awaitCentral(engine, "DOWN");
            assertThat(denied.path("message").asText())
                    .isEqualTo("The central DHIS2 is unavailable: Authentication failed");
            HttpResponse<String> down = ManagementEndpoints.get(engine, "/observe/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(down.body()).path("status").asText()).isEqualTo("DOWN");
            assertThat(ManagementEndpoints.get(engine, "/observe/health/ready").statusCode()).isEqualTo(503);
            HttpResponse<String> live = ManagementEndpoints.get(engine, "/observe/health/live");
            assertThat(live.statusCode()).as("an unreachable central does not make the engine dead: %s", live.body())
                    .isEqualTo(200);
            assertThat(live.body()).doesNotContain("dhis2-central");

            // no answer within the short timeout: network unreachable
            pair.central().setCredentials("admin", "district");
            pair.central().faults().on("GET", "/api/system/info").fromRequest(1)
                    .fail(Fault.hang(Duration.ofSeconds(5)));
            JsonNode unreachable = awaitCentral(engine, "DOWN", "Network is unreachable");
            assertThat(unreachable.path("message").asText())
                    .startsWith("The central DHIS2 is unavailable: Network is unreachable");

            pair.central().faults().clear();
            JsonNode back = awaitCentral(engine, "UP");
            assertThat(back.path("message").asText()).contains("DHIS2 2.42");
            assertThat(ManagementEndpoints.get(engine, "/observe/health").statusCode()).isEqualTo(200);
            assertThat(down.body() + up.body() + live.body()).doesNotContain(SECRET).doesNotContain("district");
        }
        assertNoSecretLogged();
    }

    @Test
    void warnsOnceWhenTheCentralUserHasAllAndNotWhenItHasOnlyWhatSyncNeeds() throws Exception {
        try (Engine engine = engine(Map.of())) {
            assertThat(warnings()).filteredOn(m -> m.contains("ALL authority")).singleElement().asString()
                    .contains("central user admin");
            assertThat(warnings()).noneMatch(m -> m.contains("plain http"));
        }
        log.list.clear();
        pair.central().userAuthorities().clear();
        pair.central().userAuthorities().addAll(List.of("F_METADATA_MANAGE", "F_DATAVALUE_ADD"));
        try (Engine engine = engine(Map.of())) {
            assertThat(pair.central().requests().count("GET", "/api/me")).isEqualTo(2);
            assertThat(warnings()).noneMatch(m -> m.contains("ALL authority"));
            assertThat(log.list).noneMatch(e -> e.getFormattedMessage().startsWith("Could not check"));
        }
        assertNoSecretLogged();
    }

    @Test
    void warnsAboutPlainHttpToAnotherHostAndStartsWhenCentralCannotBeAsked() throws Exception {
        int nothingListens = TestEngines.freePort();
        try (Engine engine = engine(Map.of("local.url", "http://dhis2.invalid:8080",
                "central.url", "http://127.0.0.1:" + nothingListens))) {
            assertThat(engine.context().isStarted()).isTrue();
            assertThat(warnings()).filteredOn(m -> m.contains("plain http")).containsExactly(
                    "local.url http://dhis2.invalid:8080 is plain http:// to another host: the password and all data "
                            + "travel unencrypted. Use https://.");
            assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith(
                    "Could not check the central user's authorities (central /api/me: Network is unreachable"));
        }
        assertNoSecretLogged();
    }

    /** Every pair's instances are looked at, each DHIS2 instance (and user) once, the warning naming the pair. */
    @Test
    void warnsAboutEveryPairsInstancesOnceEach() throws Exception {
        pair.central().userAuthorities().clear();
        pair.central().userAuthorities().add("ALL");
        long askedBefore = pair.central().requests().count("GET", "/api/me");
        try (Engine engine = engine(Map.of("pair.b.local.url", "http://b-site.invalid:8080",
                "pair.b.local.username", "admin", "pair.b.local.password", SECRET,
                "pair.b.central.url", pair.centralServer().url(), "pair.b.central.username", "admin",
                "pair.b.central.password", "district"))) {
            assertThat(engine.pairs().keySet()).containsExactly("default", "b");
            assertThat(warnings()).filteredOn(m -> m.contains("plain http")).containsExactly(
                    "Pair b: local.url http://b-site.invalid:8080 is plain http:// to another host: the password and"
                            + " all data travel unencrypted. Use https://.");
            // both pairs share central and its user: asked and warned once
            assertThat(pair.central().requests().count("GET", "/api/me") - askedBefore).isEqualTo(1);
            assertThat(warnings()).filteredOn(m -> m.contains("ALL authority")).singleElement().asString()
                    .contains("central user admin");
        }
        assertNoSecretLogged();
    }

    @Test
    void plainHttpIsFineOnThisMachineAndHttpsAnywhere() {
        assertThat(SecurityWarnings.plainHttp(
                new Dhis2Connection("local", "http://localhost:8080", "a", "b", ""),
                new Dhis2Connection("central", "https://hq.example.org", "a", "b", ""),
                new Dhis2Connection("central", "http://127.0.0.1:8082", "a", "b", ""))).isEmpty();
        assertThat(SecurityWarnings.plainHttp(new Dhis2Connection("central", "http://hq.example.org", "", "",
                "d2pat_x"))).singleElement().asString().contains("access token").doesNotContain("d2pat_x");
    }

    private Engine engine(Map<String, String> overrides) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of("local.url", pair.localServer().url(),
                "local.password", SECRET, "central.url", pair.centralServer().url()));
        props.putAll(overrides);
        return Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                TestEngines.routesWith(temp.resolve("r" + System.nanoTime())), props)));
    }

    private JsonNode awaitCentral(Engine engine, String status, String... messageParts) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            seen[0] = check(ManagementEndpoints.get(engine, "/observe/health"), "dhis2-central");
            return seen[0].path("status").asText().equals(status)
                    && List.of(messageParts).stream().allMatch(seen[0].path("message").asText()::contains);
        });
        return seen[0];
    }

    private static JsonNode check(HttpResponse<String> health, String name) throws Exception {
        for (JsonNode c : JSON.readTree(health.body()).path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health.body());
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN
                && e.getLoggerName().equals(SecurityWarnings.class.getName())).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private void assertNoSecretLogged() {
        assertThat(log.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(SECRET));
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
