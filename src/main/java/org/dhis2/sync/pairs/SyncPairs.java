package org.dhis2.sync.pairs;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.dhis2.sync.admin.AdminApiException;
import org.dhis2.sync.config.Dhis2Connection;
import org.dhis2.sync.config.PairConfigs;
import org.dhis2.sync.observe.Dhis2HealthCheck;

/**
 * The engine's sync pairs by name, and one readiness check per DHIS2 instance (an instance shared by pairs is
 * checked once). Admin calls name their pair in the path (/api/pairs/{pair}/...) or mean the default pair.
 */
public final class SyncPairs {

    /** Exchange variable that holds the pair an admin call is about. */
    public static final String VARIABLE = "pair";
    private final Map<String, PairBeans> pairs;
    private final Map<String, Dhis2HealthCheck> checks = new LinkedHashMap<>();

    public SyncPairs(Map<String, PairBeans> pairs, Duration healthCache, Supplier<CamelContext> context) {
        this.pairs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pairs));
        pairs.values().forEach(p -> {
            addCheck(p.name(), p.settings().local(), healthCache, context);
            addCheck(p.name(), p.settings().central(), healthCache, context);
        });
    }

    private void addCheck(String pair, Dhis2Connection c, Duration cache, Supplier<CamelContext> context) {
        // the default pair's checks keep their ids (dhis2-local, dhis2-central); another pair's are dhis2-<pair>-<role>
        String name = pair.equals(PairConfigs.DEFAULT) ? c.name() : pair + "-" + c.name();
        checks.computeIfAbsent(c.url(), url -> new Dhis2HealthCheck(
                new Dhis2Connection(name, c.url(), c.username(), c.password(), c.token()), cache, context));
    }

    /** The readiness checks, one per DHIS2 base URL. */
    public Collection<Dhis2HealthCheck> healthChecks() {
        return checks.values();
    }

    public Dhis2HealthCheck healthCheck(String url) {
        return checks.get(url);
    }

    /**
     * Admin calls: the pair of header {@code pair} (a path parameter), or the default pair, into the exchange
     * variable {@value #VARIABLE}; 404 for a pair the engine does not have.
     */
    public void select(Exchange exchange) {
        // the path parameter only: a request header named "pair" on /api/... must not switch the pair
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String name = uri != null && uri.contains("/api/pairs/")
                ? exchange.getMessage().getHeader("pair", String.class) : null;
        String pair = name == null || name.isBlank() ? PairConfigs.DEFAULT : name.strip();
        if (!pairs.containsKey(pair)) {
            throw AdminApiException.notFound(pair.equals(PairConfigs.DEFAULT) && name == null
                    ? "This engine has no pair 'default' (sync.defaultPair.enabled=false); use /api/pairs/{pair}/..."
                    : "No sync pair '" + pair + "' (GET /api/pairs lists them)");
        }
        exchange.setVariable(VARIABLE, pair);
    }

    public PairBeans get(String name) {
        PairBeans pair = pairs.get(name);
        if (pair == null) {
            throw AdminApiException.notFound("No sync pair '" + name + "'");
        }
        return pair;
    }

    /** The pair an admin exchange is about (after {@link #select}). */
    public PairBeans of(Exchange exchange) {
        String name = exchange.getVariable(VARIABLE, String.class);
        return get(name == null ? PairConfigs.DEFAULT : name);
    }

    public Map<String, PairBeans> all() {
        return pairs;
    }
}
