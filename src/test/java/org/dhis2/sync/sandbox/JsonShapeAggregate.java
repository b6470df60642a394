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

/**
 * Compares the JSON structure (keys and nesting, recursively; not values) of a sandbox answer with a real DHIS2
 * fixture. Array items of the fixture are merged into one item shape: a key present in every item is required, a key
 * present in some is optional. Scalars of any type (null included) match each other. Extra keys in the answer are
 * differences unless their path is listed as allowed (e.g. {@code response.conflicts[].errorCode}, for fields a newer
 * DHIS2 adds to an older fixture).
 */
final class JsonShapeAggregate {

    private JsonShapeAggregate() {
    }

    static JsonNode fixture(String path) {
        try (InputStream in = JsonShapeAggregate.class.getResourceAsStream("/fixtures/dhis2/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return SandboxJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The structural differences (empty when the shapes match). */
    static List<String> differences(JsonNode expected, JsonNode actual, String... allowedExtraPaths) {
        List<String> diffs = new ArrayList<>();
        compare(expected, actual, "", Set.of(allowedExtraPaths), diffs);
        return diffs;
    }

    private static void compare(JsonNode expected, JsonNode actual, String path, Set<String> allowed,
                                List<String> diffs) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                diffs.add(where(path) + ": expected an object, got " + actual.getNodeType());
                return;
            }
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!actual.has(key)) {
                    diffs.add(where(path) + ": missing key '" + key + "'");
                } else {
                    compare(expected.get(key), actual.get(key), child(path, key), allowed, diffs);
                }
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!expected.has(key) && !allowed.contains(child(path, key))) {
                    diffs.add(where(path) + ": unexpected key '" + key + "'");
                }
            }
        } else if (expected.isArray()) {
            if (!actual.isArray()) {
                diffs.add(where(path) + ": expected an array, got " + actual.getNodeType());
                return;
            }
            if (expected.isEmpty()) {
                return;
            }
            ItemShape shape = ItemShape.of(expected);
            for (JsonNode item : actual) {
                shape.check(item, path + "[]", allowed, diffs);
            }
        } else if (actual.isContainerNode()) {
            diffs.add(where(path) + ": expected a scalar, got " + actual.getNodeType());
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

        void check(JsonNode item, String path, Set<String> allowed, List<String> diffs) {
            if (sample != null) {
                compare(sample, item, path, allowed, diffs);
                return;
            }
            if (!item.isObject()) {
                diffs.add(where(path) + ": expected an object item, got " + item.getNodeType());
                return;
            }
            required.stream().filter(k -> !item.has(k))
                    .forEach(k -> diffs.add(where(path) + ": missing key '" + k + "'"));
            item.fieldNames().forEachRemaining(k -> {
                if (keys.containsKey(k)) {
                    compare(keys.get(k), item.get(k), child(path, k), allowed, diffs);
                } else if (!allowed.contains(child(path, k))) {
                    diffs.add(where(path) + ": unexpected key '" + k + "'");
                }
            });
        }
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String where(String path) {
        return path.isEmpty() ? "$" : path;
    }
}
