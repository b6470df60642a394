package org.dhis2.sync.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Splits the engine's properties into sync pairs, each a named (local, central) connection with its own settings.
 * The single-pair keys (local.*, central.*, sync.*) are the pair {@value #DEFAULT} (unless
 * sync.defaultPair.enabled=false); {@code pair.<name>.<key>} declares pair {@code <name>}: it takes every key of the
 * engine's configuration as its default except the two instances' addresses and credentials, which it must give
 * itself. Keys the whole engine shares (database, management server, retry rules, thread pools) cannot be set per
 * pair.
 */
public final class PairConfigs {

    public static final String DEFAULT = "default";
    public static final String PREFIX = "pair.";
    /** Lower-case letters, digits and '-': a pair's name appears in URLs, metric labels, JMX names and endpoints. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final List<String> INSTANCE_KEYS = List.of("url", "username", "password", "token");
    /** Engine-wide: one database, one HTTP server, one route configuration for retries, one pool per stage. */
    static final List<String> ENGINE_WIDE = List.of("sync.db.", "sync.management.", "sync.admin.", "sync.routes.",
            "sync.health.", "sync.retry.", "metadata.sync.retry", "dhis2.http.", "sync.shutdown.", "camel.",
            "sync.pairs.", "sync.defaultPair.", "sync.dataValues.parallelism", "sync.events.parallelism",
            "sync.tracker.parallelism", "sync.reservedValues.clients", "sync.cluster.", "sync.ledger.",
            "sync.console.");

    private PairConfigs() {
    }

    /** Every pair's settings, the default pair first; each problem names its key ({@code pair.<name>.<key>}). */
    public static Map<String, SyncSettings> forRun(SyncSettings engine) {
        Properties all = engine.properties();
        List<String> problems = new ArrayList<>();
        Map<String, SyncSettings> pairs = new LinkedHashMap<>();
        if (!"false".equalsIgnoreCase(all.getProperty("sync.defaultPair.enabled", "true").trim())) {
            pairs.put(DEFAULT, engine);
        }
        for (String name : names(all, problems)) {
            try {
                pairs.put(name, SyncSettings.forRun(properties(all, name, problems)));
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(qualified(all, name, p)));
            }
        }
        if (pairs.isEmpty() && problems.isEmpty()) {
            problems.add("sync.defaultPair.enabled: false, and no pair.<name>.local.url declares another pair:"
                    + " the engine has nothing to sync");
        }
        sameInstanceSameCredentials(pairs, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return pairs;
    }

    /** The names of the pairs declared with pair.<name>.* keys, in name order. */
    static List<String> names(Properties all, List<String> problems) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : all.stringPropertyNames()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot);
            if (!NAME.matcher(name).matches() || name.equals(DEFAULT)) {
                problems.add(key + ": '" + name + "' is not a pair name (lower-case letters, digits and '-', at most"
                        + " 40, not 'default': the single-pair keys are the pair 'default')");
                continue;
            }
            String pairKey = dot < 0 ? "" : rest.substring(dot + 1);
            if (ENGINE_WIDE.stream().anyMatch(pairKey::startsWith)) {
                problems.add(key + ": " + pairKey + " is engine-wide (one for all pairs); set it without the pair"
                        + " prefix");
                continue;
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** The engine's properties as pair {@code name} sees them. */
    static Properties properties(Properties all, String name, List<String> problems) {
        Properties p = new Properties();
        String prefix = PREFIX + name + ".";
        for (String key : all.stringPropertyNames()) {
            if (!key.startsWith(PREFIX) && !isInstanceKey(key)) {
                p.setProperty(key, all.getProperty(key));
            }
        }
        for (String key : all.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                p.setProperty(key.substring(prefix.length()), all.getProperty(key));
            }
        }
        return p;
    }

    private static boolean isInstanceKey(String key) {
        int dot = key.indexOf('.');
        return dot > 0 && (key.startsWith("local.") || key.startsWith("central."))
                && INSTANCE_KEYS.contains(key.substring(dot + 1));
    }

    /** "local.url: is required" of pair x becomes "pair.x.local.url: is required" when the pair sets that key. */
    private static String qualified(Properties all, String name, String problem) {
        int colon = problem.indexOf(':');
        String key = colon < 0 ? "" : problem.substring(0, colon);
        if (isInstanceKey(key) || all.containsKey(PREFIX + name + "." + key)) {
            return PREFIX + name + "." + problem;
        }
        return "pair '" + name + "' (inherited " + problem.substring(0, Math.max(colon, 0)) + ")" 
                + problem.substring(Math.max(colon, 0));
    }

    /**
     * The HTTP client adds credentials by base URL, and the load caps are per central: pairs that name one DHIS2
     * instance must agree on its credentials and on its caps.
     */
    private static void sameInstanceSameCredentials(Map<String, SyncSettings> pairs, List<String> problems) {
        Map<String, String> credentials = new LinkedHashMap<>();
        Map<String, String> caps = new LinkedHashMap<>();
        Map<String, String> firstPair = new LinkedHashMap<>();
        pairs.forEach((name, s) -> {
            for (Dhis2Connection c : List.of(s.local(), s.central())) {
                firstPair.putIfAbsent(c.url(), name);
                String before = credentials.putIfAbsent(c.url(), Objects.hash(c.username(), c.password(), c.token())
                        + "");
                if (before != null && !before.equals(Objects.hash(c.username(), c.password(), c.token()) + "")) {
                    problems.add(key(name, c.name()) + ".url: " + c.url() + " is an instance of pair '"
                            + firstPair.get(c.url()) + "' too, with other credentials; one DHIS2 instance has one"
                            + " set of credentials per engine");
                }
            }
            String cap = s.load().maxConcurrentRequests() + "/" + s.load().maxBytesPerSecond();
            String capBefore = caps.putIfAbsent(s.central().url(), cap);
            if (capBefore != null && !capBefore.equals(cap)) {
                problems.add(key(name, "central") + ".maxConcurrentRequests: central " + s.central().url()
                        + " has other load caps in pair '" + firstPair.get(s.central().url()) + "'; one central has one"
                        + " cap (central.maxConcurrentRequests, central.maxBytesPerSecond) per engine");
            }
        });
    }

    private static String key(String pair, String instance) {
        return pair.equals(DEFAULT) ? instance : PREFIX + pair + "." + instance;
    }
}
