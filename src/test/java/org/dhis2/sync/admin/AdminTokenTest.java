package org.dhis2.sync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dhis2.sync.config.ConfigException;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** No admin credentials configured: a token is generated at first start, shown once, kept across restarts. */
class AdminTokenTest {

    private static final Pattern TOKEN_LINE = Pattern.compile("Authorization: Bearer (\\S+)");

    @TempDir
    Path temp;

    @Test
    void generatedTokenIsShownOnceKeptAcrossRestartAndNeverEchoed() throws Exception {
        Properties props = TestEngines.properties(temp.resolve("pg"), TestEngines.routesWith(temp), Map.of());
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        String token;
        String secondStdout;
        AdminHttp http;
        try {
            String firstStdout;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Engine engine = startCapturing(props, out)) {
                firstStdout = out.toString(StandardCharsets.UTF_8);
                Matcher m = TOKEN_LINE.matcher(firstStdout);
                assertThat(m.find()).as("first start shows the token: %s", firstStdout).isTrue();
                token = m.group(1);
                assertThat(m.find()).as("shown once").isFalse();
                assertThat(token).hasSizeGreaterThanOrEqualTo(40);
                http = new AdminHttp(engine.settings().managementPort());
                assertThat(http.get("/api/sync/items", null).status()).isEqualTo(401);
                assertThat(http.get("/api/sync/items", "Bearer " + token).status()).isEqualTo(200);
                assertThat(http.get("/api/sync/items", "ApiToken " + token).status()).isEqualTo(200);
                assertThat(http.get("/api/sync/items", "Bearer " + token + "x").status()).isEqualTo(401);
                assertThat(http.get("/api/sync/items", AdminHttp.basic("admin", token)).status())
                        .as("no Basic login without a configured user").isEqualTo(401);
                try (Connection c = engine.database().dataSource().getConnection();
                     ResultSet rs = c.createStatement().executeQuery("select token_sha256 from admin_api_token")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("only the hash is stored").doesNotContain(token).hasSize(64);
                }
            }
            out.reset();
            try (Engine engine = startCapturing(props, out)) {
                secondStdout = out.toString(StandardCharsets.UTF_8);
                AdminHttp again = new AdminHttp(engine.settings().managementPort());
                AdminHttp.Answer items = again.get("/api/sync/items", "Bearer " + token);
                assertThat(items.status()).as("the token survives a restart").isEqualTo(200);
                assertThat(items.json().path("pager").path("total").asLong()).isZero();
                assertThat(again.get("/api/sync/conflicts", "Bearer nope-" + token).status()).isEqualTo(401);
                http.answers.addAll(again.answers);
            }
        } finally {
            root.detachAppender(log);
        }
        assertThat(secondStdout).as("not shown again").doesNotContain(token).doesNotContain("Authorization: Bearer");
        for (AdminHttp.Answer a : http.answers) {
            assertThat(a.body()).doesNotContain(token);
            a.headers().map().values().forEach(v -> assertThat(String.join(",", v)).doesNotContain(token));
        }
        assertThat(log.list).isNotEmpty();
        for (ILoggingEvent event : log.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(token);
        }
    }

    @Test
    void adminSettingsAreValidatedByKey() throws Exception {
        Properties props = TestEngines.properties(temp.resolve("pg"), TestEngines.routesWith(temp),
                Map.of("sync.admin.username", "ops", "sync.admin.token", "short"));
        assertThatThrownBy(() -> SyncSettings.forRun(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sync.admin.username: set both sync.admin.username and sync.admin.password")
                .hasMessageContaining("sync.admin.token: is too short")
                .hasMessageNotContaining("short'");
        Properties colon = TestEngines.properties(temp.resolve("pg"), TestEngines.routesWith(temp.resolve("b")),
                Map.of("sync.admin.username", "a:b", "sync.admin.password", "pw"));
        assertThatThrownBy(() -> SyncSettings.forRun(colon)).hasMessageContaining("sync.admin.username: must not contain ':'");
    }

    private static Engine startCapturing(Properties props, ByteArrayOutputStream out) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Engine.start(SyncSettings.forRun(props));
        } finally {
            System.setOut(original);
        }
    }
}
