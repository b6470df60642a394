package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * The old importers {@code POST /api/events} and {@code POST /api/trackedEntityInstances} (≤2.41, reference §2.3,
 * §2.4): objects are imported one by one as they are read (one bad object never blocks the others), each answered
 * by an ImportSummary; TEIs nest enrollments and enrollments nest events. {@code strategy=SYNC} creates, updates
 * and deletes ({@code "deleted":true}) in one payload.
 */
final class TrackerLegacyImporter {

    private final Dhis2Instance instance;
    private final TrackerRefs refs;
    private final String strategy;
    private final String baseUrl;

    TrackerLegacyImporter(Dhis2Instance instance, SandboxRequest request) {
        this.instance = instance;
        this.refs = new TrackerRefs(instance.catalog());
        this.strategy = request.param("strategy").or(() -> request.param("importStrategy"))
                .orElse("CREATE_AND_UPDATE").toUpperCase();
        this.baseUrl = "http://" + request.header("Host").orElse("localhost") + "/api";
    }

    ObjectNode importEvents(InputStream body) {
        Summaries summaries = new Summaries();
        TrackerJsonReader.read(body, Set.of("events"), (c, event) -> summaries.add(event(event, null, true)));
        return summaries.toJson(importOptions());
    }

    ObjectNode importTrackedEntityInstances(InputStream body) {
        Summaries summaries = new Summaries();
        TrackerJsonReader.read(body, Set.of("trackedEntityInstances"), (c, tei) -> summaries.add(tei(tei)));
        return summaries.toJson(importOptions());
    }

    // ---------------------------------------------------------------- objects

    private ObjectNode tei(ObjectNode old) {
        ObjectNode te = TrackerFormats.trackedEntityFromOld(old);
        String uid = uid(te, "trackedEntity");
        Item existing = instance.tracker().get(Kind.TRACKED_ENTITY, uid).orElse(null);
        if (isDelete(te)) {
            return delete(Kind.TRACKED_ENTITY, uid, "trackedEntityInstances", "tracked entity instance");
        }
        List<String[]> conflicts = new ArrayList<>();
        String type = te.path("trackedEntityType").asText(existing == null ? null : existing.text("trackedEntityType"));
        String orgUnit = te.path("orgUnit").asText(existing == null ? null : existing.text("orgUnit"));
        if (!known(TrackerRefs.TE_TYPES, type)) {
            conflicts.add(new String[] {"TrackedEntityInstance.trackedEntityType", "Invalid trackedEntityType " + type});
        }
        if (!known(TrackerRefs.ORG_UNITS, orgUnit)) {
            conflicts.add(new String[] {"TrackedEntityInstance.orgUnit", "Invalid org unit ID: " + orgUnit});
        }
        for (JsonNode a : te.path("attributes")) {
            if (!known(TrackerRefs.ATTRIBUTES, a.path("attribute").asText())) {
                conflicts.add(new String[] {"Attribute.attribute", "Invalid attribute " + a.path("attribute").asText()});
            }
        }
        ObjectNode summary = precheck(uid, existing, "trackedEntityInstances", conflicts, orgUnit,
                "Tracked entity instance");
        if (summary == null) {
            boolean created = existing == null;
            ObjectNode body = te.deepCopy();
            body.set("attributes", TrackerValueMerge.mergeValues(existing == null ? null
                    : existing.body().path("attributes"), te.path("attributes"), "attribute",
                    Dhis2Dates.tracker(instance.clock().instant())));
            body.put("trackedEntityType", type);
            body.put("orgUnit", orgUnit);
            instance.tracker().put(Kind.TRACKED_ENTITY, uid, body);
            summary = success(uid, "trackedEntityInstances", created ? 0 : 1);
            Summaries enrollments = new Summaries();
            for (JsonNode e : te.path("enrollments")) {
                ObjectNode enrollment = ((ObjectNode) e).deepCopy();
                enrollment.put("trackedEntity", uid);
                enrollments.add(enrollment(enrollment));
            }
            summary.set("enrollments", enrollments.toJson(null));
        }
        return summary;
    }

    private ObjectNode enrollment(ObjectNode enrollment) {
        String uid = uid(enrollment, "enrollment");
        Item existing = instance.tracker().get(Kind.ENROLLMENT, uid).orElse(null);
        if (isDelete(enrollment)) {
            return delete(Kind.ENROLLMENT, uid, "enrollments", "enrollment");
        }
        List<String[]> conflicts = new ArrayList<>();
        String program = enrollment.path("program").asText(null);
        String orgUnit = enrollment.path("orgUnit").asText(null);
        if (!known(TrackerRefs.PROGRAMS, program)) {
            conflicts.add(new String[] {"Enrollment.program", "Invalid program ID: " + program});
        } else if (!refs.isTrackerProgram(program)) {
            conflicts.add(new String[] {"Enrollment.program", "Provided program " + program
                    + " is a program without registration. An enrollment cannot be created into program without registration."});
        }
        if (!known(TrackerRefs.ORG_UNITS, orgUnit)) {
            conflicts.add(new String[] {"Enrollment.orgUnit", "Invalid org unit ID: " + orgUnit});
        }
        ObjectNode summary = precheck(uid, existing, "enrollments", conflicts, orgUnit, "Enrollment");
        if (summary == null) {
            ObjectNode body = enrollment.deepCopy();
            body.remove("attributes");
            if (!body.has("followUp")) {
                body.put("followUp", false);
            }
            instance.tracker().put(Kind.ENROLLMENT, uid, body);
            summary = success(uid, "enrollments", existing == null ? 0 : 1);
            Summaries events = new Summaries();
            for (JsonNode ev : enrollment.path("events")) {
                ObjectNode event = TrackerFormats.eventToOld((ObjectNode) ev); // nested events arrive in old names
                event.put("enrollment", uid);
                event.put("trackedEntityInstance", enrollment.path("trackedEntity").asText());
                if (!event.hasNonNull("program")) {
                    event.put("program", program);
                }
                events.add(event(event, uid, false));
            }
            summary.set("events", events.toJson(null));
        }
        return summary;
    }

    /** An old-format event; {@code withOptions}: top-level event summaries repeat the import options. */
    private ObjectNode event(ObjectNode old, String enrollmentUid, boolean withOptions) {
        ObjectNode event = TrackerFormats.eventFromOld(old);
        String uid = uid(event, "event");
        Item existing = instance.tracker().get(Kind.EVENT, uid).orElse(null);
        ObjectNode summary;
        if (isDelete(event)) {
            summary = delete(Kind.EVENT, uid, "events", "event");
        } else {
            summary = saveEvent(event, uid, existing);
        }
        if (withOptions && "SUCCESS".equals(summary.path("status").asText())) {
            // DHIS2 builds error summaries without options, successful ones carry them
            ObjectNode reordered = SandboxJson.object();
            reordered.set("responseType", summary.remove("responseType"));
            reordered.set("status", summary.remove("status"));
            reordered.set("importOptions", importOptions());
            reordered.setAll(summary);
            return reordered;
        }
        return summary;
    }

    private ObjectNode saveEvent(ObjectNode event, String uid, Item existing) {
        String program = event.path("program").asText(null);
        String stage = event.path("programStage").asText(null);
        String orgUnit = event.path("orgUnit").asText(null);
        List<String[]> conflicts = new ArrayList<>();
        String description = null;
        if (!known(TrackerRefs.PROGRAMS, program)) {
            description = "Event.program does not point to a valid program: " + program;
        } else if (stage == null) {
            stage = instance.catalog().list(TrackerRefs.PROGRAM_STAGES).stream()
                    .filter(s -> program.equals(s.path("program").path("id").asText()))
                    .map(s -> s.path("id").asText()).findFirst().orElse(null);
            event.put("programStage", stage);
        }
        if (description == null && !known(TrackerRefs.PROGRAM_STAGES, stage)) {
            description = "Event.programStage does not point to a valid programStage: " + stage;
        }
        if (description == null && !known(TrackerRefs.ORG_UNITS, orgUnit)) {
            description = "Event.orgUnit does not point to a valid organisation unit: " + orgUnit;
        }
        if (description == null && refs.isTrackerProgram(program)) {
            description = resolveEnrollment(event, program);
        }
        for (JsonNode dv : event.path("dataValues")) {
            String de = dv.path("dataElement").asText();
            if (!known(TrackerRefs.DATA_ELEMENTS, de)) {
                conflicts.add(new String[] {de, "Data element " + de + " doesn't exist"});
            }
        }
        if (description != null) {
            return summary("ERROR", description, new int[] {0, 0, 1, 0}, List.of(), uid, null);
        }
        ObjectNode pre = precheck(uid, existing, "events", conflicts, orgUnit, "Event");
        if (pre != null) {
            return pre;
        }
        String now = Dhis2Dates.tracker(instance.clock().instant());
        event.set("dataValues", TrackerValueMerge.mergeValues(existing == null ? null
                : existing.body().path("dataValues"), event.path("dataValues"), "dataElement", now));
        instance.tracker().put(Kind.EVENT, uid, event);
        return success(uid, "events", existing == null ? 0 : 1);
    }

    /** A tracker-program event needs an enrollment: given, or the TEI's enrollment in the program. */
    private String resolveEnrollment(ObjectNode event, String program) {
        String enrollment = event.path("enrollment").asText(null);
        if (enrollment != null && instance.tracker().get(Kind.ENROLLMENT, enrollment).map(e -> !e.deleted()).orElse(false)) {
            return null;
        }
        String tei = event.path("trackedEntity").asText(null);
        if (tei != null) {
            for (Item e : instance.tracker().children(Kind.ENROLLMENT, tei)) {
                if (!e.deleted() && program.equals(e.text("program"))) {
                    event.put("enrollment", e.uid());
                    return null;
                }
            }
        }
        return "Event.trackedEntityInstance does not point to a valid tracked entity instance: " + tei;
    }

    // ---------------------------------------------------------------- summaries

    /**
     * Common checks before a create/update: an object scripted as rejected, a soft-deleted UID, CREATE of an
     * existing or UPDATE of a missing object, and conflicts; null when the object may be saved.
     */
    private ObjectNode precheck(String uid, Item existing, String path, List<String[]> conflicts, String orgUnit,
                                String label) {
        if (instance.faults().rejectedUids().contains(uid)) {
            return summary("ERROR", "Program is not assigned to this Organisation Unit: " + orgUnit,
                    new int[] {0, 0, 1, 0}, List.of(), uid, null);
        }
        if (existing != null && existing.deleted()) {
            return summary("ERROR", label + " ID " + uid + " was already used and/or deleted. This object will not"
                    + " be added or updated.", new int[] {0, 0, 1, 0}, List.of(), uid, null);
        }
        if (existing != null && "CREATE".equals(strategy)) {
            return summary("ERROR", label + " " + uid + " already exists", new int[] {0, 0, 1, 0}, List.of(), uid,
                    null);
        }
        if (existing == null && "UPDATE".equals(strategy)) {
            return summary("ERROR", label + " " + uid + " does not exist", new int[] {0, 0, 1, 0}, List.of(), uid,
                    null);
        }
        if (!conflicts.isEmpty()) {
            return summary("ERROR", null, new int[] {0, 0, 1, 0}, conflicts, uid, null);
        }
        return null;
    }

    private ObjectNode delete(Kind kind, String uid, String path, String label) {
        if (instance.faults().rejectedUids().contains(uid) || !instance.tracker().delete(kind, uid)) {
            return summary("ERROR", "ID " + uid + " does not point to a valid " + label, new int[] {0, 0, 1, 0},
                    List.of(), uid, null);
        }
        return summary("SUCCESS", "Deletion of " + label + " " + uid + " was successful", new int[] {0, 0, 0, 1},
                List.of(), uid, baseUrl + "/" + path + "/" + uid);
    }

    /** count: 0 = imported, 1 = updated. */
    private ObjectNode success(String uid, String path, int count) {
        int[] counts = new int[4];
        counts[count]++;
        return summary("SUCCESS", null, counts, List.of(), uid, baseUrl + "/" + path + "/" + uid);
    }

    /** counts: imported, updated, ignored, deleted (the order of DHIS2's importCount). */
    private static ObjectNode summary(String status, String description, int[] counts, List<String[]> conflicts,
                                      String reference, String href) {
        ObjectNode s = SandboxJson.object().put("responseType", "ImportSummary").put("status", status);
        if (description != null) {
            s.put("description", description);
        }
        s.putObject("importCount").put("imported", counts[0]).put("updated", counts[1]).put("ignored", counts[2])
                .put("deleted", counts[3]);
        ArrayNode c = s.putArray("conflicts");
        conflicts.forEach(x -> c.addObject().put("object", x[0]).put("value", x[1]));
        s.put("reference", reference);
        if (href != null) {
            s.put("href", href);
        }
        return s;
    }

    private boolean isDelete(ObjectNode object) {
        return "DELETE".equals(strategy) || ("SYNC".equals(strategy) && object.path("deleted").asBoolean(false));
    }

    private boolean known(String type, String uid) {
        return uid != null && refs.exists(type, uid) && !instance.faults().rejectedUids().contains(uid);
    }

    private static String uid(ObjectNode node, String field) {
        String uid = node.path(field).asText("");
        if (uid.isEmpty()) {
            uid = Uids.random(); // the old importers assign a UID too
            node.put(field, uid);
        }
        return uid;
    }

    private ObjectNode importOptions() {
        ObjectNode o = SandboxJson.object();
        o.putObject("idSchemes");
        o.put("dryRun", false).put("async", false).put("importStrategy", strategy).put("mergeMode", "REPLACE")
                .put("reportMode", "FULL").put("skipExistingCheck", false).put("sharing", false)
                .put("skipNotifications", false).put("skipAudit", false).put("datasetAllowsPeriods", false)
                .put("strictPeriods", false).put("strictDataElements", false)
                .put("strictCategoryOptionCombos", false).put("strictAttributeOptionCombos", false)
                .put("strictOrganisationUnits", false).put("requireCategoryOptionCombo", false)
                .put("requireAttributeOptionCombo", false).put("skipPatternValidation", false)
                .put("ignoreEmptyCollection", false).put("force", false).put("firstRowIsHeader", true)
                .put("skipLastUpdated", false).put("mergeDataValues", false).put("skipCache", false);
        return o;
    }

    /** ImportSummaries: counts summed over the children, status = the worst child status. */
    private static final class Summaries {
        private final List<ObjectNode> children = new ArrayList<>();

        void add(ObjectNode summary) {
            children.add(summary);
        }

        ObjectNode toJson(ObjectNode importOptions) {
            ObjectNode s = SandboxJson.object().put("responseType", "ImportSummaries");
            String status = "SUCCESS";
            int[] sum = new int[4];
            for (ObjectNode c : children) {
                String cs = c.path("status").asText();
                if ("ERROR".equals(cs) || ("WARNING".equals(cs) && !"ERROR".equals(status))) {
                    status = cs;
                }
                JsonNode count = c.path("importCount");
                sum[0] += count.path("imported").asInt();
                sum[1] += count.path("updated").asInt();
                sum[2] += count.path("deleted").asInt();
                sum[3] += count.path("ignored").asInt();
            }
            s.put("status", status).put("imported", sum[0]).put("updated", sum[1]).put("deleted", sum[2])
                    .put("ignored", sum[3]);
            if (importOptions != null) {
                s.set("importOptions", importOptions);
            }
            ArrayNode array = s.putArray("importSummaries");
            children.forEach(array::add);
            s.put("total", children.size());
            return s;
        }
    }
}
