package org.dhis2.sync.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dhis2.sync.admin.AdminAuthentication;

/**
 * Serves the operator console under {@value #ROOT} (routes/console.camel.yaml): the login form, login and logout,
 * and, only with a live session, the pages (static HTML/JS from {@code console/} on the class path) and the WebJars
 * they use. Anything else without a session is a 302 to the login page. The pages call the admin API with the
 * session cookie; this class never puts a secret into a page.
 */
public final class ConsolePages {

    public static final String ROOT = "/console";
    static final String LOGIN = ROOT + "/login";
    /** The login page's stylesheet and script are the only files served without a session. */
    static final Map<String, String> LOGIN_FILES = Map.of(
            LOGIN + "/pico.min.css", "META-INF/resources/webjars/picocss__pico/2.1.1/css/pico.min.css",
            LOGIN + "/login.js", "console/login.js");
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9_.\\-]*)*/?");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "png", "image/png",
            "svg", "image/svg+xml", "json", "application/json");

    private final ConsoleSessions sessions;
    private final AdminAuthentication authentication;

    public ConsolePages(ConsoleSessions sessions, AdminAuthentication authentication) {
        this.sessions = sessions;
        this.authentication = authentication;
    }

    /** One request under /console: the answer goes into the message (body, status, headers). */
    public void handle(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        String method = m.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String path = path(m.getHeader(Exchange.HTTP_URI, String.class));
        String cookie = m.getHeader("Cookie", String.class);
        String csrf = m.getHeader(ConsoleSessions.CSRF_HEADER, String.class);
        Object body = m.getBody();
        String address = AdminAuthentication.clientAddress(m);
        boolean https = viaHttps(m);
        // nothing of the request (its cookie above all) may be echoed back as a response header
        m.getHeaders().clear();
        m.setBody(null);
        if (path.equals(LOGIN) && method.equals("POST")) {
            login(m, form(body, exchange), address, https);
            return;
        }
        if (method.equals("GET") && path.equals(LOGIN)) {
            file(m, "console/login.html");
            return;
        }
        if (method.equals("GET") && LOGIN_FILES.containsKey(path)) {
            file(m, LOGIN_FILES.get(path));
            return;
        }
        Optional<ConsoleSessions.Session> session = sessions.find(cookie);
        if (session.isEmpty()) {
            redirect(m, LOGIN);
            return;
        }
        if (ConsoleSessions.changesState(method)) {
            if (!ConsoleSessions.csrfMatches(session.get(), csrf)) {
                status(m, 403, "Forbidden: the CSRF token is missing or wrong");
            } else if (path.equals(ROOT + "/logout")) {
                sessions.end(session.get());
                m.setHeader("Set-Cookie", List.of(cookie(ConsoleSessions.COOKIE, "", true, 0, https),
                        cookie(ConsoleSessions.CSRF_COOKIE, "", false, 0, https)));
                status(m, 204, null);
            } else {
                status(m, 405, "Method not allowed");
            }
            return;
        }
        if (path.equals(ROOT) || path.equals(ROOT + "/")) {
            file(m, "console/index.html");
        } else if (path.startsWith(ROOT + "/webjars/") && SAFE_PATH.matcher(path).matches()) {
            file(m, "META-INF/resources" + path.substring(ROOT.length()));
        } else if (SAFE_PATH.matcher(path).matches()) {
            file(m, "console" + path.substring(ROOT.length()));
        } else {
            status(m, 404, "Not found");
        }
    }

    private void login(Message m, Map<String, String> form, String address, boolean https) {
        boolean accepted;
        try {
            accepted = authentication.acceptsLogin(form.get("username"), form.get("password"), form.get("token"),
                    address);
        } catch (org.dhis2.sync.admin.AdminApiException tooMany) {
            redirect(m, LOGIN + "?throttled");
            return;
        }
        if (!accepted) {
            redirect(m, LOGIN + "?failed");
            return;
        }
        ConsoleSessions.NewSession s = sessions.create();
        long maxAge = sessions.idle().toSeconds();
        m.setHeader("Set-Cookie", List.of(cookie(ConsoleSessions.COOKIE, s.id(), true, maxAge, https),
                cookie(ConsoleSessions.CSRF_COOKIE, s.csrf(), false, maxAge, https)));
        redirect(m, ROOT + "/");
    }

    /** {@code secure}: the browser came over HTTPS (to a proxy in front), so the cookie must never go over http. */
    static String cookie(String name, String value, boolean httpOnly, long maxAgeSeconds, boolean secure) {
        return name + "=" + value + "; Path=/; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (httpOnly ? "; HttpOnly" : "") + (secure ? "; Secure" : "");
    }

    /**
     * Whether the browser's request came over HTTPS: the engine serves plain HTTP, so only a reverse proxy in front
     * can say so (X-Forwarded-Proto, or RFC 7239's Forwarded: proto=https). A forged header only adds Secure.
     */
    static boolean viaHttps(Message m) {
        String forwardedProto = m.getHeader("X-Forwarded-Proto", String.class);
        String forwarded = m.getHeader("Forwarded", String.class);
        return forwardedProto != null && forwardedProto.strip().toLowerCase(java.util.Locale.ROOT).startsWith("https")
                || forwarded != null && forwarded.toLowerCase(java.util.Locale.ROOT).matches("(?s).*proto=\"?https.*");
    }

    private static void file(Message m, String resource) throws IOException {
        try (InputStream in = ConsolePages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                status(m, 404, "Not found");
                return;
            }
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
            m.setHeader("Cache-Control", ext.equals("html") ? "no-store" : "private, max-age=3600");
            m.setHeader("X-Content-Type-Options", "nosniff");
            m.setHeader("X-Frame-Options", "DENY");
            m.setHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline';"
                    + " frame-ancestors 'none'");
            m.setBody(in.readAllBytes());
        }
    }

    private static void redirect(Message m, String location) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        m.setHeader("Location", location);
        m.setHeader("Cache-Control", "no-store");
        m.setBody("");
    }

    private static void status(Message m, int status, String text) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader("Content-Type", "text/plain; charset=utf-8");
        m.setBody(text == null ? "" : text);
    }

    /** The path of the request URI, without its query. */
    static String path(String uri) {
        if (uri == null) {
            return ROOT;
        }
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** The login form (application/x-www-form-urlencoded), whatever shape the HTTP component gave its body. */
    @SuppressWarnings("unchecked")
    static Map<String, String> form(Object body, Exchange exchange) {
        Map<String, String> form = new HashMap<>();
        if (body instanceof Map<?, ?> map) {
            map.forEach((k, v) -> form.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            return form;
        }
        String text = exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
        if (text == null) {
            return form;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
