package org.dhis2.sync.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's logins: a random session id in an HttpOnly, SameSite=Strict cookie, kept here in memory (one engine
 * node; a restart logs everyone out) and forgotten after {@code sync.console.sessionIdleMinutes} without a request.
 * Each session has its own CSRF token (synchronizer token): the page reads it from a second, script-readable cookie
 * and sends it as {@value #CSRF_HEADER} on every state-changing call; it is compared with the session's own copy.
 */
public final class ConsoleSessions {

    public static final String COOKIE = "dhis2sync_session";
    public static final String CSRF_COOKIE = "dhis2sync_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** More live sessions than this means someone logs in in a loop: the oldest idle ones go first. */
    static final int MAX_SESSIONS = 1000;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live login; {@code csrf} goes to the page, {@code id} only into the HttpOnly cookie. */
    public record Session(String id, String csrf) {
    }

    private record Entry(Session session, long lastSeenMillis) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public ConsoleSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    public ConsoleSessions(Duration idle) {
        this(idle, Clock.systemUTC());
    }

    public Duration idle() {
        return idle;
    }

    /** A new session after a successful login. */
    public Session create() {
        long now = clock.millis();
        sessions.values().removeIf(e -> expired(e, now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(java.util.Comparator.comparingLong(e -> e.getValue().lastSeenMillis()))
                    .ifPresent(e -> sessions.remove(e.getKey()));
        }
        Session s = new Session(random(), random());
        sessions.put(s.id(), new Entry(s, now));
        return s;
    }

    /** The live session named by a request's Cookie header; touching it restarts its idle time. */
    public Optional<Session> find(String cookieHeader) {
        String id = cookie(cookieHeader, COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        Entry e = sessions.get(id);
        if (e == null) {
            return Optional.empty();
        }
        if (expired(e, now)) {
            sessions.remove(id, e);
            return Optional.empty();
        }
        sessions.put(id, new Entry(e.session(), now));
        return Optional.of(e.session());
    }

    /** Logout. */
    public void end(Session session) {
        sessions.remove(session.id());
    }

    /** Whether a presented CSRF token is the session's (constant time). */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                presented.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** GET, HEAD and OPTIONS change nothing; every other method needs the CSRF token. */
    public static boolean changesState(String method) {
        return method == null || !(method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD")
                || method.equalsIgnoreCase("OPTIONS"));
    }

    /** The value of one cookie in a Cookie header ({@code a=1; b=2}), or null. */
    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                return part.substring(eq + 1).strip();
            }
        }
        return null;
    }

    private boolean expired(Entry e, long now) {
        return now - e.lastSeenMillis() > idle.toMillis();
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
