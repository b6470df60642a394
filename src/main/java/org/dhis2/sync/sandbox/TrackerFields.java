package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code fields} selector such as {@code *,!relationships,enrollments[*,events[*]]}: {@code *} = all
 * simple properties, a name = that property, {@code name[...]} = that property with a nested selector,
 * {@code !name} = exclude. Nested collections (enrollments, events, relationships, programOwners) are only
 * included when named, or when the selector is exactly what DHIS2 expands {@code *} to for them (see
 * {@link #wants}).
 */
final class TrackerFields {

    private final boolean all;
    private final Set<String> included = new HashSet<>();
    private final Set<String> excluded = new HashSet<>();
    private final Map<String, TrackerFields> nested = new HashMap<>();

    private TrackerFields(boolean all) {
        this.all = all;
    }

    static TrackerFields parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        TrackerFields fields = new TrackerFields(false);
        return fields.fill(selector);
    }

    private TrackerFields fill(String selector) {
        TrackerFields target = this;
        boolean star = false;
        for (String token : FieldTokens.split(selector)) {
            if (token.equals("*") || token.equals(":all")) {
                star = true;
            } else if (token.startsWith("!")) {
                excluded.add(token.substring(1));
            } else if (token.contains("[")) {
                String name = token.substring(0, token.indexOf('['));
                String inner = token.substring(token.indexOf('[') + 1, token.lastIndexOf(']'));
                included.add(name);
                nested.put(name, new TrackerFields(false).fill(inner));
            } else {
                included.add(token);
            }
        }
        if (star) {
            TrackerFields withStar = new TrackerFields(true);
            withStar.included.addAll(target.included);
            withStar.excluded.addAll(target.excluded);
            withStar.nested.putAll(target.nested);
            return withStar;
        }
        return target;
    }

    /**
     * Whether a nested collection is wanted: without a selector DHIS2 leaves them out; {@code *} includes them
     * (DHIS2 expands {@code *} to every property).
     */
    static boolean wants(TrackerFields fields, String collection) {
        if (fields == null) {
            return false;
        }
        if (fields.excluded.contains(collection)) {
            return false;
        }
        return fields.all || fields.included.contains(collection);
    }

    /** The selector for a nested collection (all of it when not given). */
    static TrackerFields nested(TrackerFields fields, String collection) {
        return fields == null ? null : fields.nested.getOrDefault(collection, fields.all ? new TrackerFields(true)
                : fields.included.contains(collection) ? new TrackerFields(true) : null);
    }

    /** Keeps the selected properties of an object, recursively for nested selectors. */
    static ObjectNode apply(TrackerFields fields, ObjectNode node) {
        if (fields == null) {
            return node;
        }
        ObjectNode out = SandboxJson.object();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (fields.excluded.contains(name) || !(fields.all || fields.included.contains(name))) {
                continue;
            }
            TrackerFields inner = fields.nested.get(name);
            JsonNode value = f.getValue();
            if (inner != null && value.isArray()) {
                ArrayNode filtered = SandboxJson.array();
                for (JsonNode element : value) {
                    filtered.add(element.isObject() ? apply(inner, (ObjectNode) element) : element);
                }
                value = filtered;
            } else if (inner != null && value.isObject()) {
                value = apply(inner, (ObjectNode) value);
            }
            out.set(name, value);
        }
        return out;
    }
}
