package org.dhis2.sync.pairs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.http.Dhis2Authentication;
import org.dhis2.sync.load.CentralLoad;
import org.dhis2.sync.observe.Dhis2HealthCheck;

/**
 * What the engine has once per DHIS2 instance, whatever the number of pairs that use it: its readiness check and
 * its credentials in the HTTP client, and for a central its load cap.
 */
public final class InstanceBeans {

    private InstanceBeans() {
    }

    /** The default pair's checks keep their bean names; every instance is one readiness check. */
    public static void bindHealthChecks(java.util.function.BiConsumer<String, Object> bind, SyncPairs pairs,
                                        PairBeans defaultPair) {
        int n = 0;
        for (Dhis2HealthCheck check : pairs.healthChecks()) {
            String url = check.connection().url();
            String name = defaultPair != null && url.equals(defaultPair.settings().local().url()) ? "dhis2LocalHealthCheck"
                    : defaultPair != null && url.equals(defaultPair.settings().central().url())
                    ? "dhis2CentralHealthCheck" : "dhis2HealthCheck." + n++;
            bind.accept(name, check);
        }
    }

    /** Credentials by base URL for every instance of every pair, and one load cap per central. */
    public static Dhis2Authentication authentication(java.util.Collection<PairBeans> pairs) {
        java.util.List<org.dhis2.sync.config.Dhis2Connection> connections = new java.util.ArrayList<>();
        Map<String, CentralLoad> caps = new LinkedHashMap<>();
        for (PairBeans pair : pairs) {
            SyncSettings s = pair.settings();
            connections.add(s.local());
            connections.add(s.central());
            caps.computeIfAbsent(s.central().url(), url -> new CentralLoad(url, s.load().maxConcurrentRequests(),
                    s.load().maxBytesPerSecond()));
        }
        Dhis2Authentication authentication = new Dhis2Authentication(connections.stream().distinct()
                .toArray(org.dhis2.sync.config.Dhis2Connection[]::new));
        caps.values().forEach(authentication::alsoConfigure);
        return authentication;
    }
}
