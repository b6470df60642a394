package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON structure comparison for contract tests: same keys and nesting, recursively; values may differ. An array's
 * shape is the union of its elements' shapes, so element order and count do not matter.
 */
final class JsonShapeMetadata {

    private JsonShapeMetadata() {
    }

    /** The shape: objects become sorted key→shape maps, arrays a one-element list of the merged shape, scalars "·". */
    static Object shape(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                var e = it.next();
                map.put(e.getKey(), shape(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            Object merged = null;
            for (JsonNode element : node) {
                merged = merge(merged, shape(element));
            }
            List<Object> list = new ArrayList<>();
            if (merged != null) {
                list.add(merged);
            }
            return list;
        }
        return "·";
    }

    @SuppressWarnings("unchecked")
    private static Object merge(Object a, Object b) {
        if (a == null) {
            return b;
        }
        if (a instanceof Map && b instanceof Map) {
            Map<String, Object> m = new TreeMap<>((Map<String, Object>) a);
            ((Map<String, Object>) b).forEach((k, v) -> m.merge(k, v, JsonShapeMetadata::merge));
            return m;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            Object merged = null;
            for (Object o : la) {
                merged = merge(merged, o);
            }
            for (Object o : lb) {
                merged = merge(merged, o);
            }
            return merged == null ? List.of() : List.of(merged);
        }
        return a;
    }

    /** Differences as readable paths ("missing x.y", "extra x.z"); empty when the shapes are equal. */
    static List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("$", shape(expected), shape(actual), out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void diff(String path, Object expected, Object actual, List<String> out) {
        if (expected instanceof Map && actual instanceof Map) {
            Map<String, Object> e = (Map<String, Object>) expected;
            Map<String, Object> a = (Map<String, Object>) actual;
            e.keySet().stream().filter(k -> !a.containsKey(k)).forEach(k -> out.add("missing " + path + "." + k));
            a.keySet().stream().filter(k -> !e.containsKey(k)).forEach(k -> out.add("extra " + path + "." + k));
            e.keySet().stream().filter(a::containsKey).forEach(k -> diff(path + "." + k, e.get(k), a.get(k), out));
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (!e.isEmpty() && !a.isEmpty()) {
                diff(path + "[]", e.get(0), a.get(0), out);
            }
        } else if (!expected.getClass().equals(actual.getClass())) {
            out.add("type differs at " + path);
        }
    }
}
