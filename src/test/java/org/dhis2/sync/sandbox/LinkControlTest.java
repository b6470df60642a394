package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code sandbox --pair-only}'s control endpoint sets links and reports the bytes that crossed them. */
class LinkControlTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Contract("NET-5")
    void linksAreSetAndTheirTrafficReadOverHttp() throws Exception {
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41));
             SandboxControl control = SandboxControl.start(pair, 0)) {
            JsonNode set = call(HttpRequest.newBuilder(URI.create(control.url()
                    + "/link/central?preset=vsat&bodyLimit=10m&timeout=60s&rtt=20ms&jitter=0&reset=true"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(set.path("central").path("downBytesPerSecond").asLong()).isEqualTo(250_000);
            assertThat(set.path("central").path("bodyLimit").asLong()).isEqualTo(10L * 1024 * 1024);
            assertThat(set.path("central").path("proxyTimeoutMillis").asLong()).isEqualTo(60_000);
            assertThat(set.path("central").path("rttMillis").asLong()).isEqualTo(20);
            assertThat(set.path("local").path("upBytesPerSecond").asLong()).as("local untouched").isZero();
            assertThat(pair.central().link().proxyTimeout()).isEqualTo(Duration.ofSeconds(60));

            HTTP.send(HttpRequest.newBuilder(URI.create(pair.centralServer().url() + "/api/ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            // the server counts the answer's bytes when it closes the exchange, which may come after the client
            // has read the (small) answer: wait for that before reading the counters
            assertThat(pair.central().awaitIdle(Duration.ofSeconds(5))).isTrue();
            JsonNode read = call(HttpRequest.newBuilder(URI.create(control.url() + "/link")).build());
            assertThat(read.path("central").path("traffic").path("requests").asLong()).isEqualTo(1);
            assertThat(read.path("central").path("traffic").path("requestBytes").asLong()).isPositive();
            assertThat(read.path("central").path("traffic").path("responseBytes").asLong()).isPositive();
            assertThat(read.path("local").path("traffic").path("requests").asLong()).isZero();
        }
    }

    private static JsonNode call(HttpRequest request) throws Exception {
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return SandboxJson.MAPPER.readTree(answer.body());
    }
}
