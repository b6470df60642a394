package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A relationship as it is sent to central: by reference only. DHIS2 exports a relationship with the whole object of
 * each end nested in it (a tracked entity with all its attributes, an event with its data values), so forwarding
 * the export would carry values that must stay home. The import reads nothing of an end but its UID
 * (dhis2-core webapi/controller/tracker/imports/RelationshipItemMapper: trackedEntity.trackedEntity,
 * enrollment.enrollment, event.event), in the nested form only (a bare UID string is a 400).
 */
public final class RelationshipReference {

    private static final String[] END_KINDS = {"trackedEntity", "enrollment", "event"};

    private RelationshipReference() {
    }

    /**
     * {@code {"relationship","relationshipType","from":{"trackedEntity":{"trackedEntity":uid}},"to":{...}}} with
     * nothing else, or empty when the exported relationship lacks its UID, type or an end.
     */
    public static Optional<ObjectNode> of(JsonNode exported) {
        String uid = text(exported.path("relationship"));
        String type = text(exported.path("relationshipType"));
        if (uid == null || type == null) {
            return Optional.empty();
        }
        ObjectNode ref = JsonNodeFactory.instance.objectNode();
        ref.put("relationship", uid);
        ref.put("relationshipType", type);
        for (String side : new String[] {"from", "to"}) {
            Optional<ObjectNode> end = end(exported.path(side));
            if (end.isEmpty()) {
                return Optional.empty();
            }
            ref.set(side, end.get());
        }
        return Optional.of(ref);
    }

    /** One end: the nested form with the UID alone, whether the export nested the object or gave a bare UID. */
    private static Optional<ObjectNode> end(JsonNode end) {
        for (String kind : END_KINDS) {
            JsonNode v = end.path(kind);
            String uid = v.isObject() ? text(v.path(kind)) : text(v);
            if (uid != null) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.putObject(kind).put(kind, uid);
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }
}
