package org.dhis2.sync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox --pair-only} as a person uses it: the pair in one process on fixed ports, {@code run} in another
 * pointed at it, faults set over the control endpoint, the engine killed and started again by hand.
 */
class PairOnlyTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSeparatelyStartedEngineSyncsThePairAndSurvivesAKill(@TempDir Path temp) throws Exception {
        int localPort = TestEngines.freePort();
        int centralPort = TestEngines.freePort();
        int controlPort = TestEngines.freePort();
        Process pair = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.dhis2.sync.Dhis2Sync", "sandbox",
                "--pair-only", "--size=small", "--local-port=" + localPort, "--central-port=" + centralPort,
                "--control-port=" + controlPort).redirectErrorStream(true).start();
        try (EngineProcess engine = new EngineProcess(temp.resolve("engine"), "http://127.0.0.1:" + localPort,
                "http://127.0.0.1:" + centralPort, Map.of())) {
            StringBuilder printed = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(pair.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Serving until Ctrl-C")) {
                printed.append(line).append('\n');
            }
            assertThat(line).as("pair-only output:\n%s", printed).isNotNull();
            assertThat(printed).contains("http://127.0.0.1:" + localPort).contains("http://127.0.0.1:" + centralPort)
                    .contains("java -jar target/dhis2-sync.jar run").contains("http://127.0.0.1:" + controlPort)
                    .doesNotContain("Engine:");
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();

            engine.start();
            JsonNode first = engine.run("DATA_SYNC");
            assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("SUCCESS");
            assertThat(engine.getJson("/api/scheduling/completed/DATA_SYNC").toString())
                    .as("the pair's generated values were sent").containsPattern("\\d+ data values in \\d+ pages");

            String control = "http://127.0.0.1:" + controlPort;
            assertThat(post(control + "/faults/central?method=GET&path=/api/system&fault=503").statusCode())
                    .isEqualTo(200);
            JsonNode down = engine.run("DATA_SYNC");
            assertThat(down.path("status").asText()).isEqualTo("FAILED");
            assertThat(down.path("summary").asText()).contains("unavailable");
            assertThat(post(control + "/faults/central?fault=teapot").statusCode()).isEqualTo(400);
            assertThat(post(control + "/clear/central").statusCode()).isEqualTo(200);

            engine.kill();
            engine.start();
            JsonNode again = engine.run("DATA_SYNC");
            assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("SUCCESS");
        } finally {
            pair.destroy();
            pair.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
