package org.dhis2.sync.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.dhis2.sync.config.Dhis2Connection;

/**
 * /observe/health check {@code dhis2-local} / {@code dhis2-central}: is the instance reachable and are our
 * credentials accepted (GET /api/system/info)? UP with the DHIS2 version, DOWN with DHIS2's reason (authentication
 * failed, no authentication provided, network unreachable, internal error). The answer is reused for
 * sync.health.dhis2.cacheSeconds so that frequent probes do not load DHIS2.
 * <p>
 * A readiness check only: a central instance out of reach for days is normal at a field site, the engine is alive
 * and catches up when the link returns, so it must not be restarted for it ({@code /observe/health/live} stays UP).
 */
public final class Dhis2HealthCheck extends AbstractHealthCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One check's outcome and when it was made. */
    record Probe(Dhis2Request.Answer answer, String version, Instant at) {
    }

    private final Dhis2Connection connection;
    private final Duration cacheFor;
    private final Supplier<CamelContext> context;
    private Probe last;

    /** @param context the running Camel context (bound before Camel starts, so asked for when needed) */
    public Dhis2HealthCheck(Dhis2Connection connection, Duration cacheFor, Supplier<CamelContext> context) {
        super("dhis2-sync", "dhis2-" + connection.name());
        this.connection = connection;
        this.cacheFor = cacheFor;
        this.context = context;
    }

    /** Camel's default too; said here because it is a decision (see the class comment), not an accident. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Probe p = probe();
        var a = p.answer().availability();
        builder.detail("url", connection.url());
        builder.detail("checkedAt", p.at().toString());
        builder.detail("httpStatus", a.statusCode());
        if (a.available()) {
            builder.detail("version", p.version());
            builder.message("DHIS2 " + p.version() + ": " + a.message());
            builder.up();
        } else {
            builder.message("The " + connection.name() + " DHIS2 is unavailable: " + a.message()
                    + (p.answer().noAnswer() == null ? "" : " (" + p.answer().noAnswer() + ")"));
            builder.down();
        }
    }

    /** The instance's DHIS2 version (cached like the check), empty while it is unavailable. */
    public java.util.Optional<String> version() {
        return java.util.Optional.ofNullable(probe().version());
    }

    public Dhis2Connection connection() {
        return connection;
    }

    /** The cached outcome while fresh, else a new request; concurrent callers share one request. */
    synchronized Probe probe() {
        Instant now = Instant.now();
        if (last == null || !now.isBefore(last.at().plus(cacheFor))) {
            Dhis2Request.Answer answer = Dhis2Request.get(context.get(), connection, "/api/system/info");
            last = new Probe(answer, answer.availability().available() ? version(answer.body()) : null, now);
        }
        return last;
    }

    private static String version(String systemInfo) {
        try {
            return JSON.readTree(systemInfo).path("version").asText("unknown");
        } catch (Exception e) {
            return "unknown (unreadable /api/system/info)";
        }
    }
}
