package org.dhis2.sync.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Guessing the admin login: after sync.admin.maxFailedLogins wrong logins from one address, that address is refused
 * everywhere the login is asked (admin API, console form, Jolokia, hand-out), even with the right credentials, while
 * a console session it already has goes on working.
 */
class WrongLoginsTest {

    static final String USER = "ops";
    static final String PASSWORD = "Wr0ng-L0gins-" + "pw7Q";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anAddressWithTooManyWrongLoginsIsRefusedEverywhereUntilItsWindowPassed(@TempDir Path temp) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41))) {
            Map<String, String> props = new HashMap<>(Map.of("local.url", pair.localServer().url(),
                    "central.url", pair.centralServer().url(), "sync.admin.username", USER,
                    "sync.admin.password", PASSWORD, "sync.admin.maxFailedLogins", "3",
                    "sync.admin.failedLoginWindowSeconds", "4"));
            try (Engine engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                    TestEngines.routesWith(temp.resolve("routes")), props)))) {
                ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + engine.managementPort());
                // a console session begun before the guessing
                HttpResponse<String> login = http.send("POST", "/console/login", null, null,
                        "username=" + USER + "&password=" + PASSWORD);
                assertThat(login.headers().firstValue("Location")).hasValue("/console/");
                String cookie = ConsoleSessions.COOKIE + "=" + ConsoleHttp.cookieValue(
                        login.headers().allValues("Set-Cookie"), ConsoleSessions.COOKIE);

                assertThat(get(engine, "/api/jobs", basic(PASSWORD + "1")).statusCode()).isEqualTo(401);
                assertThat(get(engine, "/observe/jolokia/version", basic(PASSWORD + "2")).statusCode()).isEqualTo(401);
                assertThat(http.send("POST", "/console/login", null, null, "username=" + USER + "&password=guess3")
                        .headers().firstValue("Location")).hasValue("/console/login?failed");

                // the fourth try is refused whatever it carries, wherever it comes
                HttpResponse<String> api = get(engine, "/api/jobs", basic(PASSWORD));
                assertThat(api.statusCode()).isEqualTo(429);
                assertThat(api.body()).contains("Too many wrong logins from this address: try again in");
                assertThat(get(engine, "/observe/jolokia/version", basic(PASSWORD)).statusCode()).isEqualTo(429);
                assertThat(get(engine, "/api/trackedEntityAttributes/x/generate", basic(PASSWORD)).statusCode())
                        .isEqualTo(429);
                assertThat(http.send("POST", "/console/login", null, null, "username=" + USER + "&password="
                        + PASSWORD).headers().firstValue("Location")).hasValue("/console/login?throttled");
                // the session it had goes on
                assertThat(http.send("GET", "/api/jobs", cookie, null, null).statusCode()).isEqualTo(200);

                Thread.sleep(4_100); // the window since the first wrong login has passed
                assertThat(get(engine, "/api/jobs", basic(PASSWORD)).statusCode()).isEqualTo(200);
                assertThat(get(engine, "/observe/jolokia/version", basic(PASSWORD)).statusCode()).isEqualTo(200);
            }
        } finally {
            root.detachAppender(log);
        }
        List<String> lines;
        synchronized (log) {
            lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
        assertThat(lines).anyMatch(l -> l.contains("3 wrong admin logins from 127.0.0.1"));
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(PASSWORD).doesNotContain("guess3"));
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(Engine engine, String path, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.managementPort() + path))
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }
}
