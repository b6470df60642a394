package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** Real-HTTP helpers of the metadata-area tests (admin/district Basic auth). */
final class MetadataSandboxHttp {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("admin:district".getBytes(StandardCharsets.UTF_8));

    private MetadataSandboxHttp() {
    }

    static HttpResponse<byte[]> get(SandboxServer server, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", AUTH).GET().build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> getText(SandboxServer server, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", AUTH).GET().build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(SandboxServer server, String path, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", AUTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String body) throws IOException {
        return SandboxJson.MAPPER.readTree(body);
    }

    static JsonNode json(byte[] body) throws IOException {
        return SandboxJson.MAPPER.readTree(body);
    }

    static byte[] fixture(String relative) throws IOException {
        return Files.readAllBytes(Path.of("src/test/resources/fixtures/dhis2", relative));
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
