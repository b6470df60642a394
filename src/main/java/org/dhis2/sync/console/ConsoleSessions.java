package org.dhis2.sync.console;

import static org.dhis2.sync.admin.AdminAuthentication.sha256;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's logins: a random session id in an HttpOnly, SameSite=Strict cookie, forgotten after
 * {@code sync.console.sessionIdleMinutes} without a request. Kept in the bookkeeping database (table
 * console_session, digests only), so every engine node of a cluster knows them and a restart logs nobody out.
 * Each session has its own CSRF token (synchronizer token): the page reads it from a second, script-readable cookie
 * and sends it as {@value #CSRF_HEADER} on every state-changing call; it is compared with the session's own.
 */
public final class ConsoleSessions {

    public static final String COOKIE = "dhis2sync_session";
    public static final String CSRF_COOKIE = "dhis2sync_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** More live sessions than this means someone logs in in a loop: the oldest idle ones go first. */
    static final int MAX_SESSIONS = 1000;
    /** A request refreshes the session's last use at most this often (the console polls every few seconds). */
    static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new login's cookie values: {@code csrf} goes to the page, {@code id} only into the HttpOnly cookie. */
    public record NewSession(String id, String csrf) {
    }

    /** A live login found by its cookie (only digests are known of it). */
    public record Session(byte[] idDigest, byte[] csrfDigest) {
    }

    private final DataSource dataSource;
    private final Duration idle;
    private final Clock clock;

    public ConsoleSessions(DataSource dataSource, Duration idle, Clock clock) {
        this.dataSource = dataSource;
        this.idle = idle;
        this.clock = clock;
    }

    public ConsoleSessions(DataSource dataSource, Duration idle) {
        this(dataSource, idle, Clock.systemUTC());
    }

    public Duration idle() {
        return idle;
    }

    /** A new session after a successful login; the idle ones (and the oldest beyond the limit) are dropped. */
    public NewSession create() {
        NewSession s = new NewSession(random(), random());
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement expire = c.prepareStatement(SqlFile.get("console-session-expire"))) {
                expire.setTimestamp(1, Timestamp.from(clock.instant().minus(idle)));
                expire.setInt(2, MAX_SESSIONS - 1);
                expire.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(SqlFile.get("console-session-insert"))) {
                insert.setBytes(1, sha256(s.id()));
                insert.setBytes(2, sha256(s.csrf()));
                insert.setTimestamp(3, now);
                insert.setTimestamp(4, now);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The console login could not be kept: " + e.getMessage(), e);
        }
        return s;
    }

    /** The live session named by a request's Cookie header; using it restarts its idle time. */
    public Optional<Session> find(String cookieHeader) {
        String id = cookie(cookieHeader, COOKIE);
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(id);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            byte[] csrf;
            Instant lastSeen;
            try (PreparedStatement s = c.prepareStatement(SqlFile.get("console-session-select"))) {
                s.setBytes(1, digest);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    csrf = r.getBytes(1);
                    lastSeen = r.getTimestamp(2).toInstant();
                }
            }
            if (lastSeen.plus(idle).isBefore(now)) {
                delete(c, digest);
                return Optional.empty();
            }
            try (PreparedStatement touch = c.prepareStatement(SqlFile.get("console-session-touch"))) {
                touch.setTimestamp(1, Timestamp.from(now));
                touch.setBytes(2, digest);
                touch.setTimestamp(3, Timestamp.from(now.minus(TOUCH_EVERY)));
                touch.executeUpdate();
            }
            return Optional.of(new Session(digest, csrf));
        } catch (SQLException e) {
            LOG.warn("Could not look up a console session: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Logout. */
    public void end(Session session) {
        try (Connection c = dataSource.getConnection()) {
            delete(c, session.idDigest());
        } catch (SQLException e) {
            LOG.warn("Could not end a console session: {}", e.getMessage());
        }
    }

    /** Whether a presented CSRF token is the session's (digests compared in constant time). */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrfDigest(), sha256(presented.strip()));
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

    private static void delete(Connection c, byte[] digest) throws SQLException {
        try (PreparedStatement d = c.prepareStatement(SqlFile.get("console-session-delete"))) {
            d.setBytes(1, digest);
            d.executeUpdate();
        }
    }


    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
