package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * The objects of one {@code POST /api/tracker} body, flat or nested, flattened per kind in payload order; nested
 * children get their parent's UID as reference and objects without a UID get one, as DHIS2 does.
 */
final class TrackerImportPayload {

    /** One object of the payload, flattened out of its parent. */
    record Obj(Kind kind, String uid, ObjectNode body, int index) {
    }

    /** The order DHIS2 validates and persists the kinds in (deletes run it backwards). */
    static final Kind[] ORDER = {Kind.TRACKED_ENTITY, Kind.ENROLLMENT, Kind.EVENT, Kind.RELATIONSHIP};

    private final Map<Kind, List<Obj>> payload = new EnumMap<>(Kind.class);
    private final Map<Kind, Set<String>> uids = new EnumMap<>(Kind.class);

    TrackerImportPayload() {
        for (Kind k : Kind.values()) {
            payload.put(k, new ArrayList<>());
            uids.put(k, new HashSet<>());
        }
    }

    void read(InputStream body) {
        TrackerJsonReader.read(body, Set.of("trackedEntities", "enrollments", "events", "relationships"),
                (collection, object) -> {
                    if (collection != null) {
                        add(kindOf(collection), object, null);
                    }
                });
    }

    /** The objects of a kind in payload order. */
    List<Obj> of(Kind kind) {
        return payload.get(kind);
    }

    int total() {
        int total = 0;
        for (Kind k : ORDER) {
            total += payload.get(k).size();
        }
        return total;
    }

    boolean contains(Kind kind, String uid) {
        return uids.get(kind).contains(uid);
    }

    private static Kind kindOf(String collection) {
        return switch (collection) {
            case "trackedEntities" -> Kind.TRACKED_ENTITY;
            case "enrollments" -> Kind.ENROLLMENT;
            case "events" -> Kind.EVENT;
            default -> Kind.RELATIONSHIP;
        };
    }

    /** Adds an object and its nested children (which get their parent's UID as reference). */
    private void add(Kind kind, ObjectNode body, Obj parent) {
        if (kind == Kind.RELATIONSHIP) {
            TrackerRelationships.requireNestedEnds(body);
        }
        String uid = body.path(kind.idField()).asText("");
        if (uid.isEmpty()) {
            uid = Uids.random(); // DHIS2 assigns a UID to objects without one
            body.put(kind.idField(), uid);
        }
        if (parent != null && parent.kind() == Kind.TRACKED_ENTITY && kind == Kind.ENROLLMENT) {
            body.put("trackedEntity", parent.uid());
        }
        if (parent != null && parent.kind() == Kind.ENROLLMENT && kind == Kind.EVENT) {
            body.put("enrollment", parent.uid());
            if (!body.hasNonNull("program") && parent.body().hasNonNull("program")) {
                body.put("program", parent.body().path("program").asText());
            }
            if (parent.body().hasNonNull("trackedEntity")) {
                body.put("trackedEntity", parent.body().path("trackedEntity").asText());
            }
        }
        Obj obj = new Obj(kind, uid, body, payload.get(kind).size());
        payload.get(kind).add(obj);
        uids.get(kind).add(uid);
        for (String nested : new String[] {"enrollments", "events", "relationships"}) {
            JsonNode children = body.remove(nested);
            if (children != null && children.isArray()) {
                for (JsonNode child : children) {
                    if (child.isObject()) {
                        add(kindOf(nested), (ObjectNode) child, obj);
                    }
                }
            }
        }
    }
}
