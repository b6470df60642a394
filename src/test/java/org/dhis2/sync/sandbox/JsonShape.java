package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the JSON structure (keys and nesting, recursively; not values) of a sandbox answer with a real DHIS2
 * fixture, for the contract tests. Paths read {@code response.conflicts[].value}. The items of a fixture array are
 * merged into one item shape: a key present in every item is required, a key present in some is optional. Scalars of
 * any type (null included) match each other.
 */
public final class JsonShape {

    /**
     * Paths of the fixture missing in the answer, paths of the answer not in the fixture, and paths where one has an
     * object, array or scalar and the other something else.
     */
    public record Diff(Set<String> missing, Set<String> extra, Set<String> mismatched) {

        boolean same() {
            return missing.isEmpty() && extra.isEmpty() && mismatched.isEmpty();
        }

        /** Readable lines ("missing $.a.b", "extra $.c", "type differs at $.d"), extras on allowed paths left out. */
        public List<String> describe(Set<String> allowedExtra) {
            List<String> lines = new ArrayList<>();
            missing.forEach(p -> lines.add("missing $." + p));
            extra.stream().filter(p -> !allowedExtra.contains(p)).forEach(p -> lines.add("extra $." + p));
            mismatched.forEach(p -> lines.add("type differs at $." + p));
            return lines;
        }
    }

    private JsonShape() {
    }

    static JsonNode fixture(String path) {
        try (InputStream in = JsonShape.class.getResourceAsStream("/fixtures/dhis2/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return SandboxJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Diff diff(JsonNode expected, JsonNode actual) {
        Diff diff = new Diff(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        compare(expected, actual, "", diff);
        return diff;
    }

    /** The differences as readable lines (empty when the shapes match); extra keys on the given paths are allowed. */
    static List<String> differences(JsonNode expected, JsonNode actual, String... allowedExtraPaths) {
        return diff(expected, actual).describe(Set.of(allowedExtraPaths));
    }

    private static void compare(JsonNode expected, JsonNode actual, String path, Diff diff) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                diff.mismatched().add(path);
                return;
            }
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (actual.has(key)) {
                    compare(expected.get(key), actual.get(key), child(path, key), diff);
                } else {
                    diff.missing().add(child(path, key));
                }
            }
            actual.fieldNames().forEachRemaining(key -> {
                if (!expected.has(key)) {
                    diff.extra().add(child(path, key));
                }
            });
        } else if (expected.isArray()) {
            if (!actual.isArray()) {
                diff.mismatched().add(path);
            } else if (!expected.isEmpty()) {
                ItemShape shape = ItemShape.of(expected);
                actual.forEach(item -> shape.check(item, path + "[]", diff));
            }
        } else if (actual.isContainerNode()) {
            diff.mismatched().add(path);
        }
    }

    /** The merged shape of a fixture array's items. */
    private record ItemShape(JsonNode sample, Map<String, JsonNode> keys, Set<String> required) {

        static ItemShape of(JsonNode array) {
            Map<String, JsonNode> keys = new LinkedHashMap<>();
            Set<String> required = null;
            for (JsonNode item : array) {
                if (!item.isObject()) {
                    return new ItemShape(item, Map.of(), Set.of());
                }
                Set<String> present = new LinkedHashSet<>();
                item.fieldNames().forEachRemaining(present::add);
                present.forEach(k -> keys.putIfAbsent(k, item.get(k)));
                if (required == null) {
                    required = present;
                } else {
                    required.retainAll(present);
                }
            }
            return new ItemShape(null, keys, required);
        }

        void check(JsonNode item, String path, Diff diff) {
            if (sample != null) {
                compare(sample, item, path, diff);
                return;
            }
            if (!item.isObject()) {
                diff.mismatched().add(path);
                return;
            }
            required.stream().filter(k -> !item.has(k)).forEach(k -> diff.missing().add(child(path, k)));
            item.fieldNames().forEachRemaining(k -> {
                if (keys.containsKey(k)) {
                    compare(keys.get(k), item.get(k), child(path, k), diff);
                } else {
                    diff.extra().add(child(path, k));
                }
            });
        }
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
