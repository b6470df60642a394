package org.dhis2.sync.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.dhis2.sync.config.Dhis2Connection;
import org.dhis2.sync.config.PairConfigs;
import org.dhis2.sync.config.SyncSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up warnings about a setup that works but is unsafe, logged once at WARN (never with a secret):
 * credentials sent over plain http to another host, and a central user with the ALL authority (DHIS2 recommends a
 * dedicated user with only what sync needs). The authority check asks central's /api/me; when central cannot be
 * asked (offline field site) that is logged and start-up goes on.
 */
public final class SecurityWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityWarnings.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecurityWarnings() {
    }

    /**
     * Looks at every pair's instances, each DHIS2 instance with each user once (200 pairs sharing one central ask
     * its /api/me once); a warning about a pair other than the default one names the pair.
     */
    public static void logAtStart(CamelContext context, Map<String, SyncSettings> pairs) {
        Set<String> seen = new HashSet<>();
        pairs.forEach((pair, settings) -> {
            String prefix = PairConfigs.DEFAULT.equals(pair) ? "" : "Pair " + pair + ": ";
            for (Dhis2Connection c : List.of(settings.local(), settings.central())) {
                if (seen.add(c.name() + ' ' + c.url() + ' ' + c.username())) {
                    plainHttp(c).forEach(w -> LOG.warn(prefix + w));
                }
            }
            if (seen.add("authorities " + settings.central().url() + ' ' + identity(settings.central()))) {
                try {
                    centralUserHasAll(context, settings.central(), prefix);
                } catch (RuntimeException e) {
                    LOG.info("{}Could not check the central user's authorities: {}", prefix, e.toString());
                }
            }
        });
    }

    /** Who a connection acts as, without its secret: the user name, or which token (by its hash). */
    private static String identity(Dhis2Connection c) {
        return c.usesToken() ? "token " + c.token().hashCode() : "user " + c.username();
    }

    /** A warning for each instance reached over http:// on a host other than this machine. */
    static List<String> plainHttp(Dhis2Connection... connections) {
        List<String> warnings = new ArrayList<>();
        for (Dhis2Connection c : connections) {
            if ("http".equalsIgnoreCase(URI.create(c.url()).getScheme()) && !c.isLoopback()) {
                warnings.add(c.name() + ".url " + c.url() + " is plain http:// to another host: the "
                        + (c.usesToken() ? "access token" : "password") + " and all data travel unencrypted. Use https://.");
            }
        }
        return warnings;
    }

    private static void centralUserHasAll(CamelContext context, Dhis2Connection central, String prefix) {
        Dhis2Request.Answer answer = Dhis2Request.get(context, central, "/api/me");
        if (!answer.availability().available()) {
            LOG.info("{}Could not check the central user's authorities (central /api/me: {}{}); checked again at the "
                    + "next start", prefix, answer.availability().message(),
                    answer.noAnswer() == null ? "" : ", " + answer.noAnswer());
            return;
        }
        JsonNode authorities;
        try {
            authorities = JSON.readTree(answer.body()).path("authorities");
        } catch (Exception e) {
            LOG.info("{}Could not check the central user's authorities: central /api/me is not JSON", prefix);
            return;
        }
        for (JsonNode a : authorities) {
            if ("ALL".equals(a.asText())) {
                LOG.warn("{}The central user {} has the ALL authority (superuser). DHIS2 recommends a dedicated sync "
                        + "user with only the authorities sync needs (e.g. F_METADATA_MANAGE for metadata versions, "
                        + "data and tracker import rights for the pushes).", prefix, central.usesToken()
                        ? "(access token)" : central.username());
                return;
            }
        }
    }
}
