package org.dhis2.sync.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How to reach one DHIS2 instance. {@link #toString()} never shows the password or token.
 *
 * @param name     "local" or "central"
 * @param url      base URL without trailing slash, e.g. https://hq.example.org (API paths start with /api)
 * @param username Basic auth user (unused when a token is set)
 * @param password Basic auth password
 * @param token    personal access token, sent as {@code Authorization: ApiToken <token>}
 */
public record Dhis2Connection(String name, String url, String username, String password, String token) {

    public boolean usesToken() {
        return token != null && !token.isBlank();
    }

    /** The value of the Authorization header for every request to this instance. */
    public String authorizationHeader() {
        if (usesToken()) {
            return "ApiToken " + token;
        }
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public boolean isLoopback() {
        String host = java.net.URI.create(url).getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }

    @Override
    public String toString() {
        return name + " " + url + (usesToken() ? " (token)" : " (user " + username + ")");
    }
}
