package org.dhis2.sync.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.AdminCredentials;

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

    /** Lets the call through, or throws {@link AdminApiException} 401. */
    public void check(Exchange exchange) {
        String header = exchange.getMessage().getHeader(AUTHORIZATION, String.class);
        exchange.getMessage().removeHeader(AUTHORIZATION);
        if (!accepts(header)) {
            throw AdminApiException.unauthorized();
        }
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
