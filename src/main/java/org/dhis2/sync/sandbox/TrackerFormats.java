package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Renames between the old tracker format ({@code /api/events}, {@code /api/trackedEntityInstances}: eventDate,
 * dueDate, lastUpdated, trackedEntityInstance, ...) and the new one ({@code /api/tracker}: occurredAt, scheduledAt,
 * updatedAt, trackedEntity, ...). The store keeps the new format; the old endpoints convert at the edge.
 */
final class TrackerFormats {

    /** new name → old name, per object kind (nested data values, notes and attributes share the common part). */
    private static final Map<String, String> COMMON = Map.of(
            "createdAt", "created",
            "updatedAt", "lastUpdated",
            "updatedAtClient", "lastUpdatedAtClient",
            "trackedEntity", "trackedEntityInstance",
            "storedAt", "storedDate");
    private static final Map<String, String> EVENT = Map.of(
            "occurredAt", "eventDate",
            "scheduledAt", "dueDate",
            "completedAt", "completedDate",
            "followUp", "followup");
    private static final Map<String, String> ENROLLMENT = Map.of(
            "enrolledAt", "enrollmentDate",
            "occurredAt", "incidentDate",
            "completedAt", "completedDate",
            "followUp", "followup");

    private TrackerFormats() {
    }

    /** The UID a relationship end ({@code {"trackedEntity":{"trackedEntity":"x"}}} or a bare form) points to. */
    static String relationshipEnd(JsonNode end) {
        for (String kind : new String[] {"trackedEntity", "enrollment", "event", "trackedEntityInstance"}) {
            JsonNode v = end.path(kind);
            if (v.isTextual()) {
                return v.asText();
            }
            if (v.isObject()) {
                JsonNode id = v.path(kind);
                if (id.isTextual()) {
                    return id.asText();
                }
            }
        }
        return null;
    }

    static ObjectNode eventToOld(ObjectNode event) {
        return rename(event, EVENT, true);
    }

    static ObjectNode eventFromOld(ObjectNode event) {
        return rename(event, EVENT, false);
    }

    static ObjectNode enrollmentToOld(ObjectNode enrollment) {
        ObjectNode old = rename(enrollment, ENROLLMENT, true);
        renameArray(old, "events", EVENT, true);
        return old;
    }

    static ObjectNode enrollmentFromOld(ObjectNode enrollment) {
        ObjectNode neu = rename(enrollment, ENROLLMENT, false);
        renameArray(neu, "events", EVENT, false);
        return neu;
    }

    static ObjectNode trackedEntityToOld(ObjectNode te) {
        ObjectNode old = rename(te, Map.of(), true);
        renameArray(old, "enrollments", ENROLLMENT, true);
        if (old.path("enrollments").isArray()) {
            for (JsonNode e : old.path("enrollments")) {
                renameArray((ObjectNode) e, "events", EVENT, true);
            }
        }
        if (old.path("relationships").isArray()) {
            ArrayNode rels = SandboxJson.array();
            for (JsonNode r : old.path("relationships")) {
                rels.add(relationshipToOld((ObjectNode) r));
            }
            old.set("relationships", rels);
        }
        return old;
    }

    static ObjectNode trackedEntityFromOld(ObjectNode tei) {
        ObjectNode neu = rename(tei, Map.of(), false);
        renameArray(neu, "enrollments", ENROLLMENT, false);
        if (neu.path("enrollments").isArray()) {
            for (JsonNode e : neu.path("enrollments")) {
                renameArray((ObjectNode) e, "events", EVENT, false);
            }
        }
        return neu;
    }

    /** Old relationship ends are {@code {"trackedEntityInstance":{"trackedEntityInstance":"x"}}}. */
    static ObjectNode relationshipToOld(ObjectNode relationship) {
        ObjectNode old = rename(relationship, Map.of(), true);
        for (String side : new String[] {"from", "to"}) {
            JsonNode end = relationship.path(side);
            if (end.has("trackedEntity")) {
                ObjectNode inner = SandboxJson.object().put("trackedEntityInstance", relationshipEnd(end));
                old.set(side, SandboxJson.object().set("trackedEntityInstance", inner));
            }
        }
        return old;
    }

    private static void renameArray(ObjectNode parent, String field, Map<String, String> names, boolean toOld) {
        JsonNode array = parent.path(field);
        if (!array.isArray()) {
            return;
        }
        ArrayNode renamed = SandboxJson.array();
        for (JsonNode element : array) {
            renamed.add(element.isObject() ? rename((ObjectNode) element, names, toOld) : element);
        }
        parent.set(field, renamed);
    }

    /** Renames the object's own fields and those of its dataValues, notes and attributes. */
    private static ObjectNode rename(ObjectNode node, Map<String, String> specific, boolean toOld) {
        ObjectNode out = SandboxJson.object();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode value = f.getValue();
            if (value.isArray() && ("dataValues".equals(f.getKey()) || "notes".equals(f.getKey())
                    || "attributes".equals(f.getKey()))) {
                ArrayNode renamed = SandboxJson.array();
                for (JsonNode element : value) {
                    renamed.add(element.isObject() ? rename((ObjectNode) element, Map.of(), toOld) : element);
                }
                value = renamed;
            }
            out.set(name(f.getKey(), specific, toOld), value);
        }
        return out;
    }

    private static String name(String field, Map<String, String> specific, boolean toOld) {
        if (toOld) {
            String s = specific.get(field);
            return s != null ? s : COMMON.getOrDefault(field, field);
        }
        for (Map<String, String> table : java.util.List.of(specific, COMMON)) {
            for (Map.Entry<String, String> e : table.entrySet()) {
                if (e.getValue().equals(field)) {
                    return e.getKey();
                }
            }
        }
        return field;
    }
}
