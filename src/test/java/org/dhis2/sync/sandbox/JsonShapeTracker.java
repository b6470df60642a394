package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the structure of two JSON documents: the set of key paths ({@code pager.page},
 * {@code instances[].attributes[].value}), recursively, with array elements merged; values are ignored.
 */
final class JsonShapeTracker {

    /** Paths only in the expected document (missing) and only in the actual one (extra). */
    record Diff(Set<String> missing, Set<String> extra) {
        boolean same() {
            return missing.isEmpty() && extra.isEmpty();
        }
    }

    private JsonShapeTracker() {
    }

    static JsonNode fixture(String path) throws IOException {
        try (InputStream in = JsonShapeTracker.class.getResourceAsStream("/fixtures/dhis2/" + path)) {
            if (in == null) {
                throw new IOException("no fixture " + path);
            }
            return SandboxJson.MAPPER.readTree(in);
        }
    }

    static Set<String> paths(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        collect(node, "", paths);
        return paths;
    }

    static Diff diff(JsonNode expected, JsonNode actual) {
        Set<String> e = paths(expected);
        Set<String> a = paths(actual);
        Set<String> missing = new TreeSet<>(e);
        missing.removeAll(a);
        Set<String> extra = new TreeSet<>(a);
        extra.removeAll(e);
        return new Diff(missing, extra);
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                paths.add(path + kind(f.getValue()));
                collect(f.getValue(), path, paths);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collect(element, prefix + "[]", paths);
            }
        }
    }

    /** Objects and arrays are part of the structure; scalar types are values. */
    private static String kind(JsonNode node) {
        return node.isObject() ? "{}" : node.isArray() ? "[]" : "";
    }
}
