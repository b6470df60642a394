package org.dhis2.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.sandbox.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dhis2-sync sandbox}: what it prints is what happened (real job status, real ports). */
class SandboxCommandTest {

    private static final Pattern HEALTH = Pattern.compile("health http://127\\.0\\.0\\.1:(\\d+)/observe/health");

    @TempDir
    Path temp;

    @Test
    void printsTheRealPortAndTheRealStatusOfEveryFirstRun() throws Exception {
        Properties props = TestEngines.properties(temp.resolve("pg"), TestEngines.routesWith(temp), Map.of(
                "sync.management.port", "0", "sync.availability.attempts", "2",
                "sync.availability.delayMillis", "1"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        SandboxCommand.Started started = SandboxCommand.start(props,
                Map.of("size", "small", "local-time-zone", "Africa/Nairobi"), out);
        try {
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("(server time zone Africa/Nairobi)");
            assertThat(started.pair().local().clock().getZone().getId()).isEqualTo("Africa/Nairobi");
            Matcher health = HEALTH.matcher(bytes.toString(StandardCharsets.UTF_8));
            assertThat(health.find()).as(bytes.toString(StandardCharsets.UTF_8)).isTrue();
            int port = Integer.parseInt(health.group(1));
            assertThat(port).as("the port the engine really listens on, not the configured 0").isPositive();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isIn(200, 503);

            // central refuses every write: the first run fails, and the command says so
            started.pair().central().faults().on("POST", "/api/").fromRequest(1).fail(Fault.status(400));
            bytes.reset();
            boolean allSucceeded = SandboxCommand.runJobsOnce(started.engine(), out);

            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertThat(allSucceeded).as(printed).isFalse();
            assertThat(printed).contains("META_DATA_SYNC: FAILED: ").contains("did not arrive")
                    .doesNotContain(": done");
        } finally {
            started.engine().close();
            started.pair().close();
        }
    }
}
