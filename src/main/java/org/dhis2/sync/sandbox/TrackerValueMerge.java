package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** How DHIS2 merges incoming attribute values / data values into stored ones; both tracker importers use it. */
final class TrackerValueMerge {

    private TrackerValueMerge() {
    }

    static ArrayNode mergeValues(JsonNode existing, JsonNode incoming, String key, String now) {
        Map<String, ObjectNode> values = new LinkedHashMap<>();
        if (existing != null) {
            for (JsonNode v : existing) {
                values.put(v.path(key).asText(), ((ObjectNode) v).deepCopy());
            }
        }
        for (JsonNode v : incoming) {
            String id = v.path(key).asText();
            if (!v.hasNonNull("value") || v.path("value").asText().isEmpty()) {
                values.remove(id); // an empty value deletes the value
                continue;
            }
            ObjectNode value = ((ObjectNode) v).deepCopy();
            ObjectNode old = values.get(id);
            value.put("createdAt", old != null && old.hasNonNull("createdAt") ? old.path("createdAt").asText() : now);
            value.put("updatedAt", now);
            if ("dataElement".equals(key) && !value.has("providedElsewhere")) {
                value.put("providedElsewhere", false); // DHIS2 always reports the flag
            }
            values.put(id, value);
        }
        ArrayNode array = SandboxJson.array();
        values.values().forEach(array::add);
        return array;
    }
}
