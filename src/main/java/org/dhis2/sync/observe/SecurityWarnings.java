package org.dhis2.sync.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.dhis2.sync.config.Dhis2Connection;
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

    public static void logAtStart(CamelContext context, SyncSettings settings) {
        plainHttp(settings.local(), settings.central()).forEach(LOG::warn);
        try {
            centralUserHasAll(context, settings.central());
        } catch (RuntimeException e) {
            LOG.info("Could not check the central user's authorities: {}", e.toString());
        }
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

    private static void centralUserHasAll(CamelContext context, Dhis2Connection central) {
        Dhis2Request.Answer answer = Dhis2Request.get(context, central, "/api/me");
        if (!answer.availability().available()) {
            LOG.info("Could not check the central user's authorities (central /api/me: {}{}); checked again at the "
                    + "next start", answer.availability().message(),
                    answer.noAnswer() == null ? "" : ", " + answer.noAnswer());
            return;
        }
        JsonNode authorities;
        try {
            authorities = JSON.readTree(answer.body()).path("authorities");
        } catch (Exception e) {
            LOG.info("Could not check the central user's authorities: central /api/me is not JSON");
            return;
        }
        for (JsonNode a : authorities) {
            if ("ALL".equals(a.asText())) {
                LOG.warn("The central user {} has the ALL authority (superuser). DHIS2 recommends a dedicated sync "
                        + "user with only the authorities sync needs (e.g. F_METADATA_MANAGE for metadata versions, "
                        + "data and tracker import rights for the pushes).", central.usesToken()
                        ? "(access token)" : central.username());
                return;
            }
        }
    }
}
