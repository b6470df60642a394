package org.dhis2.sync.reserved;

import static org.dhis2.sync.admin.AdminAuthentication.sha256;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dhis2.sync.admin.AdminApiException;
import org.dhis2.sync.admin.AdminAuthentication;

/**
 * Who may take reserved values (routes/reserved-values-handout.camel.yaml): the admin API's credentials, or HTTP
 * Basic with one of the hand-out-only clients of sync.reservedValues.clients. Those clients are known only here, so
 * every other path of the admin API refuses them (401). Only SHA-256 digests are held, compared in constant time;
 * the Authorization header is removed from the message at once. Wrong logins count like the admin API's.
 */
public final class HandoutAuthentication {

    private final AdminAuthentication admin;
    private final List<byte[]> clientDigests;

    public HandoutAuthentication(AdminAuthentication admin, Map<String, String> clients) {
        this.admin = admin;
        this.clientDigests = clients.entrySet().stream()
                .map(c -> sha256(c.getKey() + ":" + c.getValue())).toList();
    }

    /** Lets the call through, or throws {@link AdminApiException} 401. */
    public void check(Exchange exchange) {
        String header = exchange.getMessage().getHeader(AdminAuthentication.AUTHORIZATION, String.class);
        exchange.getMessage().removeHeader(AdminAuthentication.AUTHORIZATION);
        if (header == null) {
            throw AdminApiException.unauthorized();
        }
        String address = AdminAuthentication.clientAddress(exchange.getMessage());
        admin.refuseIfThrottled(address);
        boolean accepted = admin.accepts(header) || isClient(header);
        admin.recordLogin(address, accepted);
        if (!accepted) {
            throw AdminApiException.unauthorized();
        }
    }

    private boolean isClient(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] presented;
        try {
            presented = sha256(new String(Base64.getDecoder().decode(header.substring(6).strip()),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean match = false;
        for (byte[] digest : clientDigests) { // every digest is compared: the time does not tell which matched
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

}
