package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * Relationships as DHIS2 (2.39-2.42) handles them, apart from the generic importer: the export view (nested
 * objects at both ends, no deleted flag, only in the export of the "from" end unless the type is bidirectional),
 * the input form (ends must be nested objects), and the tracked entities whose {@code updatedAt} a relationship
 * change bumps. Rows REL-n of CONTRACT.md.
 */
final class TrackerRelationships {

    private final Dhis2Instance instance;

    TrackerRelationships(Dhis2Instance instance) {
        this.instance = instance;
    }

    // ---------------------------------------------------------------- export

    /**
     * The relationships exported with a tracked entity, enrollment or event: the owner must be the "from" end, or
     * the relationship type bidirectional (DefaultTrackedEntityService.getRelationshipItems); deleted ones only
     * with includeDeleted, and even then without a deleted flag (view.Relationship has none).
     */
    ArrayNode exportedWith(String ownerUid, boolean includeDeleted) {
        ArrayNode array = SandboxJson.array();
        TrackerAccess access = new TrackerAccess(instance);
        for (Item r : instance.tracker().children(Kind.RELATIONSHIP, ownerUid)) {
            if (r.deleted() && !includeDeleted) {
                continue;
            }
            boolean from = ownerUid.equals(TrackerFormats.relationshipEnd(r.body().path("from")));
            if ((from || bidirectional(r)) && endsReadable(r, access)) {
                array.add(view(r));
            }
        }
        return array;
    }

    /**
     * Whether the user may read both tracked entity ends (DefaultTrackerAccessManager.canRead(user, relationship),
     * applied by DefaultTrackedEntityService.getRelationshipItems): a relationship to a tracked entity out of the
     * user's reach is left out of the export (row DL-6). Enrollment and event ends are not checked here.
     */
    private boolean endsReadable(Item r, TrackerAccess access) {
        for (String side : new String[] {"from", "to"}) {
            if (r.body().path(side).has("trackedEntity")) {
                Item te = instance.tracker().get(Kind.TRACKED_ENTITY,
                        TrackerFormats.relationshipEnd(r.body().path(side))).orElse(null);
                if (te != null && !access.canReadTrackedEntity(te)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One relationship in DHIS2's export view (RelationshipMapper): type name and direction from the type. */
    /** The default view of the relationships endpoint: UIDs only, ends nested as on input. */
    private static ObjectNode references(Item r) {
        ObjectNode node = SandboxJson.object().put("relationship", r.uid())
                .put("relationshipType", r.text("relationshipType"));
        for (String side : new String[] {"from", "to"}) {
            JsonNode end = r.body().path(side);
            ObjectNode out = node.putObject(side);
            for (String kind : new String[] {"trackedEntity", "enrollment", "event"}) {
                JsonNode ref = end.path(kind);
                String uid = ref.isObject() ? ref.path(kind).asText(null) : ref.asText(null);
                if (uid != null && !uid.isEmpty()) {
                    out.putObject(kind).put(kind, uid);
                }
            }
        }
        return node;
    }

    ObjectNode view(Item r) {
        ObjectNode node = SandboxJson.object();
        node.put("relationship", r.uid());
        Optional<ObjectNode> type = type(r);
        type.map(t -> t.path("name").asText(null)).ifPresent(n -> node.put("relationshipName", n));
        node.put("relationshipType", r.text("relationshipType"));
        node.put("createdAt", Dhis2Dates.tracker(r.createdAt()));
        if (instance.version().atLeast(41)) {
            node.put("createdAtClient", Dhis2Dates.tracker(r.createdAt()));
        }
        node.put("updatedAt", Dhis2Dates.tracker(r.updatedAt()));
        node.put("bidirectional", bidirectional(r));
        node.set("from", item(r.body().path("from"), type.map(t -> t.path("fromConstraint")).orElse(null)));
        node.set("to", item(r.body().path("to"), type.map(t -> t.path("toConstraint")).orElse(null)));
        return node;
    }

    /**
     * A relationship end as RelationshipItemMapper exports it: the whole object nested (a tracked entity with its
     * attributes; an enrollment with its tracked entity's attributes; an event with its data values), filtered by
     * the constraint's trackerDataView when the type has one.
     */
    private ObjectNode item(JsonNode end, JsonNode constraint) {
        ObjectNode out = SandboxJson.object();
        String uid = TrackerFormats.relationshipEnd(end);
        Kind kind = end.has("event") ? Kind.EVENT : end.has("enrollment") ? Kind.ENROLLMENT : Kind.TRACKED_ENTITY;
        Item target = instance.tracker().get(kind, uid).orElse(null);
        if (target == null) {
            out.putObject(kind.idField()).put(kind.idField(), uid);
            return out;
        }
        ObjectNode nested = target.toJson();
        Set<String> view = dataView(constraint, kind == Kind.EVENT ? "dataElements" : "attributes");
        switch (kind) {
            case TRACKED_ENTITY -> {
                if (!nested.has("inactive")) {
                    nested.put("inactive", false); // a primitive of the view: always there
                }
                nested.put("potentialDuplicate", false);
                nested.set("attributes", filter(nested.path("attributes"), "attribute", view));
                nested.putArray("enrollments");
                nested.putArray("programOwners");
            }
            case ENROLLMENT -> {
                JsonNode attributes = instance.tracker().get(Kind.TRACKED_ENTITY, target.text("trackedEntity"))
                        .map(te -> te.body().path("attributes")).orElse(SandboxJson.array());
                nested.set("attributes", filter(attributes, "attribute", view));
                nested.putArray("events");
            }
            default -> nested.set("dataValues", filter(nested.path("dataValues"), "dataElement", view));
        }
        out.set(kind.idField(), nested);
        return out;
    }

    private static Set<String> dataView(JsonNode constraint, String field) {
        if (constraint == null || !constraint.path("trackerDataView").isObject()) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode id : constraint.path("trackerDataView").path(field)) {
            ids.add(id.isObject() ? id.path("id").asText() : id.asText());
        }
        return ids;
    }

    private static ArrayNode filter(JsonNode values, String key, Set<String> view) {
        ArrayNode out = SandboxJson.array();
        for (JsonNode v : values) {
            if (view == null || view.contains(v.path(key).asText())) {
                out.add(v.deepCopy());
            }
        }
        return out;
    }

    /**
     * {@code GET /api/tracker/relationships?trackedEntity=|enrollment=|event=}: the relationships with the object at
     * either end, deleted ones only with includeDeleted (HibernateRelationshipStore predicates), in the page
     * envelope of the version; exactly one of the three parameters (RelationshipRequestParamsMapper).
     */
    void export(SandboxRequest request, SandboxResponse response) {
        List<String> given = new ArrayList<>();
        for (String p : new String[] {"trackedEntity", "enrollment", "event"}) {
            request.param(p).filter(v -> !v.isBlank()).ifPresent(v -> given.add(v));
        }
        if (given.isEmpty()) {
            throw Dhis2Exception.badRequest("Missing required parameter 'trackedEntity', 'enrollment' or 'event'.");
        }
        if (given.size() > 1) {
            throw Dhis2Exception.badRequest(
                    "Only one of parameters 'trackedEntity', 'enrollment' or 'event' is allowed.");
        }
        boolean includeDeleted = request.flag("includeDeleted", false);
        for (Kind kind : new Kind[] {Kind.TRACKED_ENTITY, Kind.ENROLLMENT, Kind.EVENT}) {
            if (request.param(kind.idField()).filter(v -> !v.isBlank()).isPresent()
                    && instance.tracker().get(kind, given.get(0)).isEmpty()) {
                // real 2.41.8.2: 404 {"errorCode":"E1005","message":"TrackedEntity with id X could not be found."}
                throw new Dhis2Exception(404, "Not Found", (kind == Kind.TRACKED_ENTITY ? "TrackedEntity"
                        : kind == Kind.ENROLLMENT ? "Enrollment" : "Event") + " with id " + given.get(0)
                        + " could not be found.", "E1005");
            }
        }
        List<ObjectNode> all = new ArrayList<>();
        for (Item r : instance.tracker().children(Kind.RELATIONSHIP, given.get(0))) {
            if (includeDeleted || !r.deleted()) {
                // without fields, real 2.41.8.2 answers the UIDs only: relationship, type, and each end's UID
                all.add(request.param("fields").filter(f -> !f.isBlank()).isPresent() ? view(r) : references(r));
            }
        }
        Dhis2Version.TrackerPageShape shape = instance.version().trackerPageShape();
        boolean paging = !(instance.version().minor() <= 41 && request.flag("skipPaging", false))
                && !(instance.version().atLeast(41) && !request.flag("paging", true));
        int page = Math.max(1, Integer.parseInt(request.param("page", "1")));
        int pageSize = Math.max(1, Integer.parseInt(request.param("pageSize", "50")));
        List<ObjectNode> items = all;
        ObjectNode body = SandboxJson.object();
        if (paging) {
            int from = Math.min(all.size(), (page - 1) * pageSize);
            items = all.subList(from, Math.min(all.size(), from + pageSize));
            if (shape != Dhis2Version.TrackerPageShape.INSTANCES) {
                body.putObject("pager").put("page", page).put("pageSize", pageSize);
            }
            if (shape != Dhis2Version.TrackerPageShape.PAGER_ONLY) {
                body.put("page", page).put("pageSize", pageSize);
            }
        }
        ArrayNode array = body.putArray(shape == Dhis2Version.TrackerPageShape.INSTANCES ? "instances"
                : "relationships");
        items.forEach(array::add);
        response.json(200, body);
    }

    // ---------------------------------------------------------------- import

    /**
     * The import DTO's ends are objects (view.RelationshipItem.TrackedEntity / Enrollment / Event): a bare UID
     * string cannot be read and DHIS2 answers 400 before importing anything (CrudControllerAdvice,
     * HttpMessageNotReadableException).
     */
    static void requireNestedEnds(ObjectNode relationship) {
        for (String side : new String[] {"from", "to"}) {
            JsonNode end = relationship.path(side);
            for (String kind : new String[] {"trackedEntity", "enrollment", "event"}) {
                JsonNode v = end.path(kind);
                if (!v.isMissingNode() && !v.isNull() && !v.isObject()) {
                    String cls = Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
                    throw Dhis2Exception.badRequest("JSON parse error: Cannot construct instance of "
                            + "`org.hisp.dhis.webapi.controller.tracker.view.RelationshipItem$" + cls
                            + "` (although at least one Creator exists): no String-argument constructor/factory "
                            + "method to deserialize from String value ('" + v.asText() + "')");
                }
            }
        }
    }

    /**
     * A new relationship linking the same ends with the same type as a live stored one (either way round when the
     * type is bidirectional) is a duplicate: E4018 (DuplicationValidator, TrackerPreheat.isDuplicate). The
     * message arguments, or empty.
     */
    Optional<String[]> duplicate(String uid, ObjectNode relationship) {
        String type = relationship.path("relationshipType").asText(null);
        String[] from = end(relationship.path("from"));
        String[] to = end(relationship.path("to"));
        if (type == null || from == null || to == null) {
            return Optional.empty();
        }
        boolean bidirectional = instance.catalog().get(TrackerRefs.RELATIONSHIP_TYPES, type)
                .map(t -> t.path("bidirectional").asBoolean(false)).orElse(false);
        for (Item r : instance.tracker().children(Kind.RELATIONSHIP, from[1])) {
            if (r.deleted() || r.uid().equals(uid) || !type.equals(r.text("relationshipType"))) {
                continue;
            }
            String[] f = end(r.body().path("from"));
            String[] t = end(r.body().path("to"));
            boolean same = java.util.Arrays.equals(f, from) && java.util.Arrays.equals(t, to);
            boolean inverse = bidirectional && java.util.Arrays.equals(f, to) && java.util.Arrays.equals(t, from);
            if (same || inverse) {
                return Optional.of(new String[] {uid, from[0], from[1], to[0], to[1]});
            }
        }
        return Optional.empty();
    }

    /** {tracker type, uid} of an end, or null. */
    private static String[] end(JsonNode end) {
        String uid = TrackerFormats.relationshipEnd(end);
        if (uid == null) {
            return null;
        }
        String type = end.has("event") ? "EVENT" : end.has("enrollment") ? "ENROLLMENT" : "TRACKED_ENTITY";
        return new String[] {type, uid};
    }

    /**
     * After a relationship was created or deleted: DHIS2 bumps the lastUpdated of its tracked entity "origins",
     * the "from" tracked entity, and the "to" one when the type is bidirectional
     * (Relationship.getTrackedEntityOrigins, DefaultTrackerBundleService.updateTrackedEntitiesLastUpdated).
     */
    void bumpOrigins(Item relationship) {
        Set<String> origins = new LinkedHashSet<>();
        JsonNode from = relationship.body().path("from");
        if (from.has("trackedEntity")) {
            origins.add(TrackerFormats.relationshipEnd(from));
        }
        JsonNode to = relationship.body().path("to");
        if (to.has("trackedEntity") && bidirectional(relationship)) {
            origins.add(TrackerFormats.relationshipEnd(to));
        }
        for (String te : origins) {
            if (instance.tracker().get(Kind.TRACKED_ENTITY, te).isPresent()) {
                instance.tracker().touch(Kind.TRACKED_ENTITY, te);
            }
        }
    }

    private Optional<ObjectNode> type(Item r) {
        return instance.catalog().get(TrackerRefs.RELATIONSHIP_TYPES, r.text("relationshipType"));
    }

    /** Direction is a property of the type (RelationshipMapper: bidirectional = relationshipType.bidirectional). */
    private boolean bidirectional(Item r) {
        return type(r).map(t -> t.path("bidirectional").asBoolean(false)).orElse(false);
    }
}
