package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.dhis2.sync.tracker.TrackerPushStage;
import org.dhis2.sync.tracker.TrackerType;

/**
 * What the local instance answered for some tracked entities read by UID: which objects it has (tracked entities,
 * enrollments, events, relationships), each with its updatedAt on the local server's clock.
 */
final class LocalState {

    private final Map<String, Instant> updated = new HashMap<>();
    private final Map<String, JsonNode> trackedEntities = new HashMap<>();

    private LocalState() {
    }

    /** Reads {@code /api/tracker/trackedEntities} (trackedEntities up to 2.42 or instances up to 2.40). */
    static LocalState of(JsonNode answer) {
        JsonNode list = answer.has("trackedEntities") ? answer.path("trackedEntities") : answer.path("instances");
        if (!list.isArray()) {
            throw new IllegalStateException("the local DHIS2 answered no tracked entity list");
        }
        LocalState s = new LocalState();
        for (JsonNode te : list) {
            s.put(TrackerType.TRACKED_ENTITY, te);
            s.trackedEntities.put(te.path("trackedEntity").asText(), te);
            for (JsonNode en : te.path("enrollments")) {
                s.put(TrackerType.ENROLLMENT, en);
                for (JsonNode ev : en.path("events")) {
                    s.put(TrackerType.EVENT, ev);
                }
            }
            for (JsonNode r : te.path("relationships")) {
                s.put(TrackerType.RELATIONSHIP, r);
            }
        }
        return s;
    }

    static LocalState empty() {
        return new LocalState();
    }

    private void put(TrackerType type, JsonNode o) {
        String uid = o.path(type.idField()).asText(null);
        if (uid != null) {
            Instant t = TrackerPushStage.parseTime(o.path("updatedAt").asText(o.path("createdAt").asText(null)));
            updated.put(type.name() + ":" + uid, t == null ? Instant.EPOCH : t);
        }
    }

    boolean has(TrackerType type, String uid) {
        return updated.containsKey(type.name() + ":" + uid);
    }

    /** The tracked entity as the local instance answered it (with the fields the read asked for). */
    Optional<JsonNode> trackedEntity(String uid) {
        return Optional.ofNullable(trackedEntities.get(uid));
    }

    Optional<Instant> updatedAt(TrackerType type, String uid) {
        return Optional.ofNullable(updated.get(type.name() + ":" + uid));
    }
}
