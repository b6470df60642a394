package org.dhis2.sync.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
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
        if (accepts(header)) {
            return;
        }
        ConsoleSessions store = sessions;
        if (header == null && store != null) {
            java.util.Optional<ConsoleSessions.Session> session = store.find(cookie);
            if (session.isPresent()) {
                if (ConsoleSessions.changesState(m.getHeader(Exchange.HTTP_METHOD, String.class))
                        && !ConsoleSessions.csrfMatches(session.get(), csrf)) {
                    throw AdminApiException.status(403, "A call that changes state needs the console's CSRF token"
                            + " (header " + ConsoleSessions.CSRF_HEADER + ")");
                }
                return;
            }
        }
        throw AdminApiException.unauthorized();
    }

    /** Turns on console logins (sessions kept in memory, forgotten after {@code idle}); answers the store. */
    public ConsoleSessions sessions(java.time.Duration idle) {
        sessions = new ConsoleSessions(idle);
        return sessions;
    }

    /** The console's login form: a user name and password, or the token alone. */
    public boolean acceptsLogin(String username, String password, String token) {
        if (token != null && !token.isBlank()) {
            return accepts("Bearer " + token.strip());
        }
        if (username == null || password == null || username.isEmpty()) {
            return false;
        }
        return accepts("Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
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

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
