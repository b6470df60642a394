package org.dhis2.sync.real;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A real DHIS2 server over its Web API (Basic auth), for the opt-in real-DHIS2 suite. */
final class RealDhis2 {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        Answer expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but was " + status + ": "
                        + (body.length() > 3000 ? body.substring(0, 3000) : body));
            }
            return this;
        }
    }

    final String name;
    final String url;
    private final String authorization;

    RealDhis2(String name, String url, String username, String password) {
        this.name = name;
        this.url = url;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    Answer post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text(body))));
    }

    Answer postText(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer patch(String path, Object jsonPatch) {
        return send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(text(jsonPatch))));
    }

    /** A synchronous tracker import; fails unless DHIS2 reports OK. */
    JsonNode track(String strategy, Object payload) {
        Answer a = post("/api/tracker?async=false&atomicMode=OBJECT&reportMode=FULL&importStrategy=" + strategy,
                payload);
        if (a.status() != 200 || !a.json().path("status").asText().equals("OK")) {
            throw new AssertionError(name + " tracker import " + strategy + " failed: " + a.status() + " " + a.body());
        }
        return a.json();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String text(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Answer send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.header("Authorization", authorization).header("Accept",
                    "application/json").timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(name + " (" + url + ") unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
