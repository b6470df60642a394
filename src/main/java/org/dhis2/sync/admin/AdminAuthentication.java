package org.dhis2.sync.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import io.vertx.core.net.SocketAddress;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.dhis2.sync.config.AdminCredentials;
import org.dhis2.sync.console.ConsoleSessions;

/**
 * Checks every admin API call (routes/admin-api.camel.yaml, interceptFrom of the adminApi route configuration):
 * HTTP Basic with sync.admin.username/password, or a token as {@code Authorization: Bearer …} or DHIS2's
 * {@code Authorization: ApiToken …}. Only SHA-256 digests of the secrets are held, and they are compared in constant
 * time. The Authorization header is removed from the message at once, so it can never be logged or echoed.
 */
public final class AdminAuthentication {

    public static final String AUTHORIZATION = "Authorization";

    private final byte[] basicDigest;
    private final byte[] tokenDigest;
    private volatile ConsoleSessions sessions;
    private volatile LoginThrottle throttle = new LoginThrottle(10, java.time.Duration.ofMinutes(5));

    AdminAuthentication(byte[] basicDigest, byte[] tokenDigest) {
        this.basicDigest = basicDigest;
        this.tokenDigest = tokenDigest;
    }

    /** From the configuration; with nothing configured, the generated token (made and shown at first start). */
    public static AdminAuthentication of(AdminCredentials credentials, DataSource dataSource,
                                         java.io.PrintStream announce) {
        byte[] basic = credentials.hasBasic() ? sha256(credentials.username() + ":" + credentials.password()) : null;
        byte[] token = credentials.hasToken() ? sha256(credentials.token())
                : credentials.none() ? GeneratedAdminToken.digest(dataSource, announce) : null;
        return new AdminAuthentication(basic, token);
    }

    /**
     * Lets the call through, or throws {@link AdminApiException} 401. Without an Authorization header, a console
     * session cookie is accepted too, and a state-changing call with it needs the session's CSRF token (else 403).
     */
    public void check(Exchange exchange) {
        org.apache.camel.Message m = exchange.getMessage();
        String header = m.getHeader(AUTHORIZATION, String.class);
        String cookie = m.getHeader("Cookie", String.class);
        String csrf = m.getHeader(ConsoleSessions.CSRF_HEADER, String.class);
        m.removeHeader(AUTHORIZATION);
        m.removeHeader("Cookie");
        m.removeHeader(ConsoleSessions.CSRF_HEADER);
        if (header != null) {
            if (admits(header, clientAddress(m))) {
                return;
            }
            throw AdminApiException.unauthorized();
        }
        ConsoleSessions store = sessions;
        java.util.Optional<ConsoleSessions.Session> session = store == null ? java.util.Optional.empty()
                : store.find(cookie);
        if (session.isPresent()) {
            if (ConsoleSessions.changesState(m.getHeader(Exchange.HTTP_METHOD, String.class))
                    && !ConsoleSessions.csrfMatches(session.get(), csrf)) {
                throw AdminApiException.status(403, "A call that changes state needs the console's CSRF token"
                        + " (header " + ConsoleSessions.CSRF_HEADER + ")");
            }
            return;
        }
        throw AdminApiException.unauthorized();
    }

    /** Wrong logins are counted per client address, and an address with too many is refused for a while. */
    public void throttle(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    /**
     * Whether the Authorization header carries the admin credentials, counting a wrong one against the client's
     * address; throws {@link AdminApiException} 429 while that address is refused for too many wrong logins.
     */
    public boolean admits(String header, String address) {
        refuseIfThrottled(address);
        boolean accepted = accepts(header);
        recordLogin(address, accepted);
        return accepted;
    }

    /** Throws {@link AdminApiException} 429 while the address is refused for too many wrong logins. */
    public void refuseIfThrottled(String address) {
        java.util.Optional<java.time.Duration> wait = throttle.refusal(address);
        if (wait.isPresent()) {
            throw AdminApiException.status(429, "Too many wrong logins from this address: try again in "
                    + Math.max(1, wait.get().toSeconds()) + " s");
        }
    }

    /** Counts a login's outcome for the address (another check, e.g. the hand-out's clients, decided it). */
    public void recordLogin(String address, boolean accepted) {
        if (accepted) {
            throttle.succeeded(address);
        } else {
            throttle.failed(address);
        }
    }

    /** The client's IP address as the management server saw it (Vert.x platform-http), or null. */
    public static String clientAddress(org.apache.camel.Message m) {
        Object remote = m.getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        return remote instanceof SocketAddress a ? a.hostAddress() : remote == null ? null : remote.toString();
    }

    /** Turns on console logins (sessions in the bookkeeping database); answers the store. */
    public ConsoleSessions sessions(ConsoleSessions store) {
        sessions = store;
        return store;
    }

    /**
     * The console's login form: a user name and password, or the token alone; counted like every login (throws
     * {@link AdminApiException} 429 while the address is refused).
     */
    public boolean acceptsLogin(String username, String password, String token, String address) {
        if (token != null && !token.isBlank()) {
            return admits("Bearer " + token.strip(), address);
        }
        if (username == null || password == null || username.isEmpty()) {
            return false;
        }
        return admits("Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8)), address);
    }

    /** Whether an Authorization header value carries the admin credentials (also used by the reserved value hand-out). */
    public boolean accepts(String header) {
        if (header == null) {
            return false;
        }
        int space = header.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Basic")) {
            String userAndPassword;
            try {
                userAndPassword = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return matches(basicDigest, userAndPassword);
        }
        if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("ApiToken")) {
            return matches(tokenDigest, value);
        }
        return false;
    }

    private static boolean matches(byte[] expectedDigest, String presented) {
        // digests have the same length whatever was presented: MessageDigest.isEqual then takes constant time
        return expectedDigest != null && MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    /** The SHA-256 digest of a secret's UTF-8 bytes: what is kept of admin credentials, hand-out clients, sessions. */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
