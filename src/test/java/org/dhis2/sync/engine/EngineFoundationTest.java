package org.dhis2.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.management.ObjectName;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.SandboxServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class EngineFoundationTest {

    @TempDir
    Path temp;

    @Test
    void startsOnEmbeddedPostgresWithSchemaRoutesHealthAndJmx() throws Exception {
        Path routes = TestEngines.routesWith(temp, "routes-probe");
        // no DHIS2 listens at these URLs: the engine is alive, but not ready
        Properties props = TestEngines.properties(temp.resolve("pg"), routes, Map.of(
                "local.url", "http://127.0.0.1:" + TestEngines.freePort(),
                "central.url", "http://127.0.0.1:" + TestEngines.freePort()));
        try (Engine engine = Engine.start(SyncSettings.forRun(props))) {
            List<String> tables = new ArrayList<>();
            try (Connection c = engine.database().dataSource().getConnection();
                 ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("stage_watermark", "sync_item", "import_conflict", "metadata_version", "job_run");

            assertThat(engine.context().getRoute("probeLocal")).as("route loaded from the routes folder").isNotNull();

            var mbeans = ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.apache.camel:type=routes,*"), null);
            assertThat(mbeans).anySatisfy(n -> assertThat(n.getKeyProperty("name")).isEqualTo("\"probeLocal\""));

            HttpResponse<String> live = ManagementEndpoints.get(engine, "/observe/health/live");
            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            assertThat(mapper.readTree(live.body()).path("status").asText()).isEqualTo("UP");
            HttpResponse<String> health = ManagementEndpoints.get(engine, "/observe/health");
            assertThat(health.statusCode()).isEqualTo(503);
            var json = mapper.readTree(health.body());
            assertThat(json.path("checks").findValuesAsText("name")).contains("bookkeeping-database");
            json.path("checks").forEach(check -> {
                if (check.path("name").asText().equals("bookkeeping-database")) {
                    assertThat(check.path("status").asText()).isEqualTo("UP");
                }
            });
            assertThat(json.path("checks").findValuesAsText("message")).anySatisfy(m -> assertThat(m)
                    .startsWith("The local DHIS2 is unavailable: Network is unreachable (HttpHostConnectException")
                    .contains("Connection refused"));
        }
    }

    @Test
    void restartAgainstTheSameDataDirectoryKeepsRows() throws Exception {
        Path routes = TestEngines.routesWith(temp);
        Properties props = TestEngines.properties(temp.resolve("pg"), routes, Map.of());
        try (Engine engine = Engine.start(SyncSettings.forRun(props));
             Connection c = engine.database().dataSource().getConnection()) {
            c.createStatement().executeUpdate("insert into stage_watermark(stage, server_time_high) "
                    + "values ('DATA_VALUES', timestamptz '2024-05-01 10:00:00+00')");
        }
        try (Engine engine = Engine.start(SyncSettings.forRun(props));
             Connection c = engine.database().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "select server_time_high from stage_watermark where stage = 'DATA_VALUES'")) {
            assertThat(rs.next()).as("row written before the restart").isTrue();
            assertThat(rs.getTimestamp(1).toInstant().toString()).isEqualTo("2024-05-01T10:00:00Z");
        }
    }

    @Test
    void badConfigValueFailsStartupNamingTheKey() throws Exception {
        Path routes = TestEngines.routesWith(temp);
        Properties props = TestEngines.properties(temp.resolve("pg"), routes,
                Map.of("sync.dataValues.pageSize", "abc", "sync.tracker.pageSize", "500", "central.url", "ftp//x"));
        assertThatThrownBy(() -> Engine.start(SyncSettings.forRun(props)))
                .hasMessageContaining("sync.dataValues.pageSize: 'abc' is not a whole number")
                .hasMessageContaining("sync.tracker.pageSize: '500' is outside the allowed range 5..100")
                .hasMessageContaining("central.url");
    }

    @Test
    void brokenRouteFileStopsStartupWithFileAndLine() throws Exception {
        Path routes = TestEngines.routesWith(temp, "routes-broken");
        Properties props = TestEngines.properties(temp.resolve("pg"), routes, Map.of());
        assertThatThrownBy(() -> Engine.start(SyncSettings.forRun(props)))
                .isInstanceOf(EngineStartException.class)
                .hasMessageMatching("(?s).*broken\\.camel\\.yaml:\\d+: .*");
    }

    @Test
    void secretsNeverReachTheLog() throws Exception {
        String secret = "Sup3r-S3cret-Pw";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (SandboxServer local = SandboxServer.start(new Dhis2Instance("local", Dhis2Version.of(40)))) {
            Path routes = TestEngines.routesWith(temp, "routes-probe");
            Properties props = TestEngines.properties(temp.resolve("pg"), routes, Map.of(
                    "local.url", local.url(), "local.password", secret, "central.token", "d2pat_" + secret,
                    "sync.db.password", secret));
            try (Engine engine = Engine.start(SyncSettings.forRun(props))) {
                // wrong password: central... local answers 401, which the route reports as a failure
                var exchange = engine.context().createProducerTemplate().send("direct:probeLocal", e -> { });
                assertThat(exchange.getException()).isNotNull();
                assertThat(exchange.getException().getMessage()).doesNotContain(secret);
                assertThat(local.instance().requests().count("GET", "/api/system/ping")).isEqualTo(1);
            }
        } finally {
            root.detachAppender(captured);
        }
        String base64 = Base64.getEncoder().encodeToString(("admin:" + secret).getBytes(StandardCharsets.UTF_8));
        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain(secret).doesNotContain(base64);
        }
    }
}
