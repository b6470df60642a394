package org.dhis2.sync.ledger;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request URL as the ledger may keep it: no user info, and the query without any parameter whose name could
 * carry a secret (password, token, key, secret, auth, credential, signature, session). The instance is the base URL
 * of the configured DHIS2 instance the URL belongs to (longest match), else scheme://host:port.
 */
final class SafeUri {

    private static final List<String> SECRET_NAMES = List.of("pass", "pwd", "token", "key", "secret", "auth",
            "credential", "signature", "session", "jwt");

    private final List<String> instances;

    /** @param instances base URLs of the DHIS2 instances (no trailing slash), e.g. local.url and central.url */
    SafeUri(List<String> instances) {
        this.instances = instances.stream().map(SafeUri::withoutUserInfo)
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    /** [instance, path with query] of a URL; the path is everything after the instance's base URL. */
    String[] split(String url) {
        String clean = withoutUserInfo(url);
        String instance = null;
        for (String base : instances) {
            if (clean.startsWith(base + "/") || clean.startsWith(base + "?") || clean.equals(base)) {
                instance = base;
                break;
            }
        }
        if (instance == null) {
            instance = origin(clean);
        }
        String rest = clean.substring(Math.min(instance.length(), clean.length()));
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? null : query(rest.substring(q + 1));
        path = path.isEmpty() ? "/" : path;
        return new String[] {instance, query == null || query.isEmpty() ? path : path + "?" + query};
    }

    /** The query minus every parameter whose name could hold a secret. */
    static String query(String query) {
        List<String> kept = new ArrayList<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (SECRET_NAMES.stream().noneMatch(name::contains)) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    static String withoutUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int end = url.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = url.indexOf(c, start);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        return at >= start ? url.substring(0, start) + url.substring(at + 1) : url;
    }

    private static String origin(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q);
        }
    }
}
