package org.dhis2.sync.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The remote server an instance's own metadata sync talks to, from its system settings keyRemoteInstanceUrl,
 * keyRemoteInstanceUsername and keyRemoteInstancePassword (real HTTP, Basic auth). As DHIS2's
 * MetadataVersionDelegate, every call first pings the remote (SyncUtils.isRemoteServerAvailable) and an answer is
 * valid only when its body is not empty and its status is 2xx. The password never appears in a message.
 */
final class RemoteInstance {

    static final String KEY_URL = "keyRemoteInstanceUrl";
    static final String KEY_USERNAME = "keyRemoteInstanceUsername";
    static final String KEY_PASSWORD = "keyRemoteInstancePassword";

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** The remote is not configured or not available: DHIS2's RemoteServerUnavailableException. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The call failed or answered 4xx/5xx: DHIS2's MetadataVersionServiceException. */
    static final class CallFailed extends RuntimeException {
        CallFailed(String message) {
            super(message);
        }
    }

    /** An answer: status and body (empty when there was none). */
    record Answer(int status, byte[] body) {
    }

    private final String url;
    private final String username;
    private final String password;

    private RemoteInstance(String url, String username, String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    static RemoteInstance of(Map<String, String> settings) {
        return new RemoteInstance(settings.getOrDefault(KEY_URL, ""), settings.getOrDefault(KEY_USERNAME, ""),
                settings.getOrDefault(KEY_PASSWORD, ""));
    }

    String url() {
        return url;
    }

    /** GET after the availability ping; null body = "no response" (DHIS2 then treats the object as missing). */
    Answer get(String target) {
        checkAvailable();
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request(target).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | IllegalArgumentException e) {
            throw new CallFailed("Exception occurred while trying to make the GET call to URL: " + target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed("Exception occurred while trying to make the GET call to URL: " + target);
        }
        byte[] body = response.body() == null ? new byte[0] : response.body();
        int status = response.statusCode();
        if (body.length == 0) {
            return new Answer(status, new byte[0]);
        }
        if (status >= 400 && status < 600) {
            throw new CallFailed((status < 500 ? "Client Error. " : "Server Error. ")
                    + "Http call failed with status code: " + status + " Caused by: "
                    + new String(body, StandardCharsets.UTF_8));
        }
        return new Answer(status, status >= 200 && status < 300 ? body : new byte[0]);
    }

    /** SyncUtils.isRemoteServerAvailable: settings present, then GET /api/system/ping with Basic auth. */
    private void checkAvailable() {
        if (url.isEmpty() || username.isEmpty() || password.isEmpty()) {
            throw new Unavailable("Remote server is not configured");
        }
        int status;
        try {
            status = HTTP.send(request(url + "/api/system/ping").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            throw new Unavailable("Network is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("Network is unreachable");
        }
        switch (status) {
            case 200 -> {
            }
            case 302 -> throw new Unavailable("No authentication was provided");
            case 401 -> throw new Unavailable("Authentication failed");
            case 500 -> throw new Unavailable("Remote server experienced an internal error");
            default -> throw new Unavailable("Server is not available: " + WebMessages.reasonPhrase(status));
        }
    }

    private HttpRequest.Builder request(String target) {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(target)).header("Authorization", "Basic " + basic).GET();
    }
}
