package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authentication, /api/system/* and the server's time zone, as DHIS2 2.39–2.42 serve them (CONTRACT.md, SYS). */
class SystemContractTest {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(SandboxServer server, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract({"SYS-1", "SYS-2", "SYS-6"})
    void pingNeedsAuthenticationOnEveryVersion(int version) throws Exception {
        try (SandboxServer server = SandboxServer.start(new Dhis2Instance("local", Dhis2Version.of(version)))) {
            HttpResponse<String> anonymous = get(server, "/api/system/ping", Map.of());
            assertThat(anonymous.statusCode()).isEqualTo(302);
            assertThat(anonymous.headers().firstValue("Location").orElseThrow()).isEqualTo(server.url()
                    + (version >= 41 ? "/dhis-web-login" : "/dhis-web-commons/security/login.action"));
            assertThat(get(server, "/api/system/ping", Map.of("X-Requested-With", "XMLHttpRequest")).statusCode())
                    .isEqualTo(401);

            HttpResponse<String> wrong = get(server, "/api/system/ping", basic("admin", "wrong"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            JsonNode message = SandboxJson.MAPPER.readTree(wrong.body());
            assertThat(message.fieldNames()).toIterable().containsExactly("httpStatus", "httpStatusCode", "status",
                    "message");
            assertThat(message.path("httpStatus").asText()).isEqualTo("Unauthorized");
            assertThat(message.path("httpStatusCode").asInt()).isEqualTo(401);
            assertThat(message.path("status").asText()).isEqualTo("ERROR");
            assertThat(message.path("message").asText()).isEqualTo("Unauthorized");

            HttpResponse<String> ok = get(server, "/api/system/ping", basic("admin", "district"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("pong");
            assertThat(ok.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            assertThat(ok.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 42})
    @Contract("SYS-3")
    void apiTokensAuthenticateAndAnUnknownOneIsRefused(int version) throws Exception {
        try (SandboxServer server = SandboxServer.start(new Dhis2Instance("central", Dhis2Version.of(version)))) {
            String token = server.instance().issueApiToken();
            assertThat(get(server, "/api/system/ping", Map.of("Authorization", "ApiToken " + token)).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> unknown = get(server, "/api/system/ping",
                    Map.of("Authorization", "ApiToken d2pat_unknown0000000000000000000000000"));
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(SandboxJson.MAPPER.readTree(unknown.body()).path("message").asText())
                    .isEqualTo("The API token does not exists");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Africa/Nairobi", "America/Bogota"})
    @Contract("SYS-4")
    void systemInfoAndDatesFollowTheServersTimeZone(String zoneId) throws Exception {
        ZoneId zone = ZoneId.of(zoneId);
        try (SandboxServer server = SandboxServer.start(new Dhis2Instance("local", Dhis2Version.of(41)))) {
            server.instance().clock().setZone(zone);
            JsonNode info = SandboxJson.MAPPER.readTree(get(server, "/api/system/info",
                    basic("admin", "district")).body());

            assertThat(info.path("serverTimeZoneId").asText()).isEqualTo(zoneId);
            String serverDate = info.path("serverDate").asText();
            assertThat(serverDate).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
            Instant asLocal = LocalDateTime.parse(serverDate, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    .atZone(zone).toInstant();
            assertThat(Duration.between(asLocal, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
            assertThat(Dhis2Dates.dataValue(asLocal)).as("data value timestamps: GMT").endsWith("+0000");

        }
    }
}
