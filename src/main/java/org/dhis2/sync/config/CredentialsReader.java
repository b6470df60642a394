package org.dhis2.sync.config;

import java.net.URI;

/**
 * Reads who the engine logs into DHIS2 as (local.*, central.*) and who may call its admin API (sync.admin.*).
 * Problems name the key, never a password or token, nor credentials put into a URL.
 */
final class CredentialsReader {
    private final SettingsChecker c;

    CredentialsReader(SettingsChecker c) {
        this.c = c;
    }

    /** NAME.url, .username/.password or .token; null when the URL is not set. */
    Dhis2Connection connection(String name, boolean required) {
        String urlKey = name + ".url";
        String url = c.text(urlKey);
        String username = c.text(name + ".username");
        String password = c.secret(name + ".password");
        String token = c.text(name + ".token");
        if (url.isEmpty()) {
            if (required) {
                c.problem(urlKey, "is required (base URL of the " + name + " DHIS2, e.g. https://dhis2.example.org)");
            }
            return null;
        }
        String shown = url.replaceAll("//[^/@]*@", "//***@"); // never echo credentials put into a URL
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                c.problem(urlKey, "'" + shown + "' is not an http(s) URL with a host");
            }
            if (uri.getUserInfo() != null) {
                c.problem(urlKey, "must not contain credentials; use " + name + ".username/password or " + name + ".token");
            }
        } catch (Exception e) {
            c.problem(urlKey, "'" + shown + "' is not a valid URL");
        }
        if (token.isEmpty() && (username.isEmpty() || password.isEmpty())) {
            c.problem(name + ".username", "set " + name + ".username and " + name + ".password, or " + name + ".token");
        }
        return new Dhis2Connection(name, url, username, password, token);
    }

    AdminCredentials adminCredentials() {
        String username = c.text("sync.admin.username");
        String password = c.secret("sync.admin.password");
        String token = c.text("sync.admin.token");
        if (username.isEmpty() != password.isEmpty()) {
            c.problem("sync.admin.username", "set both sync.admin.username and sync.admin.password, or neither");
        }
        if (username.contains(":")) {
            c.problem("sync.admin.username", "must not contain ':' (HTTP Basic separates user and password with it)");
        }
        if (!token.isEmpty() && token.length() < AdminCredentials.MIN_TOKEN_LENGTH) {
            c.problem("sync.admin.token", "is too short: at least " + AdminCredentials.MIN_TOKEN_LENGTH
                    + " characters");
        }
        if (!token.isEmpty() && token.chars().anyMatch(Character::isWhitespace)) {
            c.problem("sync.admin.token", "must not contain spaces");
        }
        return new AdminCredentials(username, password, token);
    }
}
