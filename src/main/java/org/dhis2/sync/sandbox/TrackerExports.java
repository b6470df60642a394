package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * The tracker exports: new {@code /api/tracker/events|trackedEntities} with the page envelope of each version
 * (reference §1.5) and the old {@code /api/events}, {@code /api/trackedEntityInstances} (§1.3, §1.4). Pages are
 * streamed object by object; only the page's item references are collected first.
 */
final class TrackerExports {

    private final Dhis2Instance instance;
    private final TrackerRefs refs;
    private final TrackerAccess access;

    TrackerExports(Dhis2Instance instance) {
        this.instance = instance;
        this.refs = new TrackerRefs(instance.catalog());
        this.access = new TrackerAccess(instance);
    }

    void newEvents(SandboxRequest request, SandboxResponse response) {
        TrackerQuery q = TrackerQuery.fromNewApi(Kind.EVENT, request, instance);
        TrackerFields fields = TrackerFields.parse(request.param("fields").orElse(null));
        writeNewPage(request, response, q, "events", item -> TrackerFields.apply(fields, newEvent(item, fields)));
    }

    void newTrackedEntities(SandboxRequest request, SandboxResponse response) {
        TrackerQuery q = TrackerQuery.fromNewApi(Kind.TRACKED_ENTITY, request, instance);
        TrackerFields fields = TrackerFields.parse(request.param("fields").orElse(null));
        writeNewPage(request, response, q, "trackedEntities",
                item -> TrackerFields.apply(fields, newTrackedEntity(item, fields, q.includeDeleted())));
    }

    /**
     * {@code GET /api/tracker/trackedEntities/{uid}?program=&fields=}: one tracked entity in the shape of an element
     * of the list export, or the version's refusal (rows DL-n, {@link TrackerTrackedEntityRead}).
     */
    void oneTrackedEntity(SandboxRequest request, SandboxResponse response) {
        TrackerFields fields = TrackerFields.parse(request.param("fields").orElse(null));
        String program = request.param("program").filter(p -> !p.isBlank()).orElse(null);
        Item te = new TrackerTrackedEntityRead(instance, access).readable(request.pathVariable("uid"), program);
        ObjectNode node = newTrackedEntity(te, fields, false);
        if (program != null && node.path("programOwners").isArray()) {
            ArrayNode owners = SandboxJson.array();
            node.path("programOwners").forEach(o -> {
                if (program.equals(o.path("program").asText())) {
                    owners.add(o);
                }
            });
            node.set("programOwners", owners);
        }
        response.json(200, TrackerFields.apply(fields, node));
    }

    void oldEvents(SandboxRequest request, SandboxResponse response) {
        TrackerQuery q = TrackerQuery.fromOldApi(Kind.EVENT, request, instance);
        TrackerFields fields = TrackerFields.parse(request.param("fields").orElse(null));
        TrackerStore.Slice slice = q.run(instance.tracker(), refs, access);
        response.streamJson(200, g -> {
            g.writeStartObject();
            if (q.paging()) {
                g.writeObjectFieldStart("pager");
                g.writeNumberField("page", q.page());
                if (q.totalPages()) {
                    g.writeNumberField("pageCount", pageCount(slice.total(), q.pageSize()));
                    g.writeNumberField("total", slice.total());
                    g.writeNumberField("pageSize", q.pageSize());
                    if (slice.hasMore()) {
                        g.writeStringField("nextPage", pageUrl(request, q.page() + 1));
                    }
                } else {
                    g.writeNumberField("pageSize", q.pageSize());
                    g.writeBooleanField("isLastPage", !slice.hasMore());
                }
                g.writeEndObject();
            }
            g.writeArrayFieldStart("events");
            for (Item item : slice.items()) {
                g.writeTree(TrackerFields.apply(fields, oldEvent(item)));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    void oldTrackedEntityInstances(SandboxRequest request, SandboxResponse response) {
        TrackerQuery q = TrackerQuery.fromOldApi(Kind.TRACKED_ENTITY, request, instance);
        TrackerFields fields = TrackerFields.parse(request.param("fields").orElse(null));
        TrackerStore.Slice slice = q.run(instance.tracker(), refs, access);
        response.streamJson(200, g -> {
            g.writeStartObject();
            // the old TEI query has a pager only when totalPages=true (reference §1.4)
            if (q.paging() && q.totalPages()) {
                g.writeObjectFieldStart("pager");
                g.writeNumberField("page", q.page());
                g.writeNumberField("pageCount", pageCount(slice.total(), q.pageSize()));
                g.writeNumberField("total", slice.total());
                g.writeNumberField("pageSize", q.pageSize());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("trackedEntityInstances");
            for (Item item : slice.items()) {
                ObjectNode te = newTrackedEntity(item, fields, q.includeDeleted());
                g.writeTree(TrackerFields.apply(fields, oldTrackedEntity(te)));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private interface Render {
        ObjectNode render(Item item) throws IOException;
    }

    private void writeNewPage(SandboxRequest request, SandboxResponse response, TrackerQuery q, String key,
                              Render render) {
        TrackerStore.Slice slice = q.run(instance.tracker(), refs, access);
        Dhis2Version.TrackerPageShape shape = instance.version().trackerPageShape();
        response.streamJson(200, g -> {
            g.writeStartObject();
            if (q.paging()) {
                Map<String, Object> pager = new LinkedHashMap<>();
                pager.put("page", q.page());
                pager.put("pageSize", q.pageSize());
                if (q.totalPages()) {
                    pager.put("total", slice.total());
                    if (shape != Dhis2Version.TrackerPageShape.INSTANCES) {
                        pager.put("pageCount", pageCount(slice.total(), q.pageSize()));
                    }
                }
                if (shape != Dhis2Version.TrackerPageShape.INSTANCES) {
                    Map<String, Object> nested = new LinkedHashMap<>(pager);
                    if (shape == Dhis2Version.TrackerPageShape.PAGER_ONLY) {
                        if (q.page() > 1) {
                            nested.put("prevPage", pageUrl(request, q.page() - 1));
                        }
                        if (slice.hasMore()) {
                            nested.put("nextPage", pageUrl(request, q.page() + 1));
                        }
                    }
                    g.writeObjectField("pager", nested);
                }
                if (shape != Dhis2Version.TrackerPageShape.PAGER_ONLY) {
                    for (Map.Entry<String, Object> e : pager.entrySet()) {
                        g.writeObjectField(e.getKey(), e.getValue());
                    }
                }
            }
            g.writeArrayFieldStart(shape == Dhis2Version.TrackerPageShape.INSTANCES ? "instances" : key);
            for (Item item : slice.items()) {
                g.writeTree(render.render(item));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private ObjectNode newEvent(Item item, TrackerFields fields) {
        ObjectNode event = item.toJson();
        if (TrackerFields.wants(fields, "relationships")) {
            event.set("relationships", relationships(item.uid(), true));
        }
        return event;
    }

    /** A tracked entity in the new format with the nested collections the selector asks for. */
    ObjectNode newTrackedEntity(Item te, TrackerFields fields, boolean includeDeleted) {
        TrackerStore store = instance.tracker();
        ObjectNode node = te.toJson();
        List<Item> enrollments = store.children(Kind.ENROLLMENT, te.uid()).stream()
                .filter(e -> includeDeleted || !e.deleted()).toList();
        if (TrackerFields.wants(fields, "enrollments")) {
            ArrayNode array = SandboxJson.array();
            for (Item e : enrollments) {
                ObjectNode enrollment = e.toJson();
                enrollment.set("attributes", programAttributes(te, e.text("program")));
                ArrayNode events = SandboxJson.array();
                store.children(Kind.EVENT, e.uid()).stream().filter(ev -> includeDeleted || !ev.deleted())
                        .forEach(ev -> events.add(ev.toJson()));
                enrollment.set("events", events);
                array.add(enrollment);
            }
            node.set("enrollments", array);
        }
        if (TrackerFields.wants(fields, "relationships")) {
            node.set("relationships", relationships(te.uid(), includeDeleted));
        }
        if (TrackerFields.wants(fields, "programOwners")) {
            ArrayNode owners = SandboxJson.array();
            enrollments.stream().map(e -> e.text("program")).distinct().forEach(p -> owners.add(SandboxJson.object()
                    .put("orgUnit", access.ownerOrRegistration(te, p)).put("trackedEntity", te.uid())
                    .put("program", p)));
            node.set("programOwners", owners);
        }
        return node;
    }

    /**
     * An enrollment's attributes: the tracked entity's values of the attributes of the enrollment's program, as
     * DHIS2 exports them with the enrollment (EnrollmentAggregate, EnrollmentStore.getAttributes).
     */
    private ArrayNode programAttributes(Item te, String program) {
        java.util.Set<String> ofProgram = new java.util.HashSet<>();
        instance.catalog().get(TrackerRefs.PROGRAMS, program).ifPresent(p -> p.path("programTrackedEntityAttributes")
                .forEach(l -> ofProgram.add(l.path("trackedEntityAttribute").path("id").asText())));
        ArrayNode values = SandboxJson.array();
        for (var v : te.body().path("attributes")) {
            if (ofProgram.contains(v.path("attribute").asText())) {
                values.add(v.deepCopy());
            }
        }
        return values;
    }

    private ArrayNode relationships(String uid, boolean includeDeleted) {
        return new TrackerRelationships(instance).exportedWith(uid, includeDeleted);
    }

    private ObjectNode oldEvent(Item item) {
        ObjectNode old = TrackerFormats.eventToOld(item.toJson());
        refs.name(item.text("orgUnit")).ifPresent(n -> old.put("orgUnitName", n));
        return old;
    }

    private static ObjectNode oldTrackedEntity(ObjectNode te) {
        ObjectNode old = TrackerFormats.trackedEntityToOld(te);
        if (old.path("programOwners").isArray()) {
            for (var owner : old.path("programOwners")) {
                ObjectNode o = (ObjectNode) owner;
                o.set("ownerOrgUnit", o.remove("orgUnit"));
                o.set("trackedEntityInstance", o.remove("trackedEntity"));
            }
        }
        return old;
    }

    private static long pageCount(long total, int pageSize) {
        return Math.max(1, (total + pageSize - 1) / pageSize);
    }

    /** The request's own URL with {@code page} replaced, as DHIS2 builds nextPage/prevPage links. */
    private static String pageUrl(SandboxRequest request, int page) {
        String host = request.header("Host").orElse("localhost");
        String path = request.apiVersion() == null ? request.path()
                : "/api/" + request.apiVersion() + request.path().substring("/api".length());
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, List<String>> e : request.query().entrySet()) {
            if (e.getKey().equals("page")) {
                continue;
            }
            for (String v : e.getValue()) {
                query.append(query.length() == 0 ? "" : "&").append(enc(e.getKey())).append('=').append(enc(v));
            }
        }
        query.append(query.length() == 0 ? "" : "&").append("page=").append(page);
        return "http://" + host + path + "?" + query;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
