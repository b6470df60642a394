package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * The new tracker importer ({@code POST /api/tracker}, reference §2.5): flat or nested body, importStrategy,
 * atomicMode, validation with DHIS2's error codes (E1xxx / E4xxx, E5000 for dependents of an invalid object),
 * then persistence and the ImportReport of the instance's version.
 */
final class TrackerImporter {

    enum Strategy { CREATE, UPDATE, CREATE_AND_UPDATE, DELETE }

    /** One object of the payload, flattened out of its parent. */
    private record Obj(Kind kind, String uid, ObjectNode body, int index) {
    }

    private record Error(String code, String message, Kind kind, String uid, List<String> args) {
    }

    private record Warning(String code, String message, Kind kind, String uid) {
    }

    private static final Kind[] ORDER = {Kind.TRACKED_ENTITY, Kind.ENROLLMENT, Kind.EVENT, Kind.RELATIONSHIP};

    private final Dhis2Instance instance;
    private final TrackerRefs refs;
    private final Strategy strategy;
    private final boolean atomicAll;
    private final String reportMode;
    private final Map<Kind, List<Obj>> payload = new EnumMap<>(Kind.class);
    private final Map<Kind, Set<String>> invalid = new EnumMap<>(Kind.class);
    private final Map<Kind, Set<String>> uids = new EnumMap<>(Kind.class);
    private final List<Error> errors = new ArrayList<>();
    private final List<Warning> warnings = new ArrayList<>();
    private final TrackedEntityBump bump;
    /** Relationships that exist already: DHIS2 never updates them (RelationshipPersister.isUpdatable). */
    private final Set<String> existingRelationships = new HashSet<>();
    private final TrackerRelationships relationships;

    TrackerImporter(Dhis2Instance instance, SandboxRequest request) {
        this.instance = instance;
        this.refs = new TrackerRefs(instance.catalog());
        this.bump = new TrackedEntityBump(instance.tracker());
        this.strategy = enumParam(request, "importStrategy", Strategy.class, Strategy.CREATE_AND_UPDATE);
        this.atomicAll = !"OBJECT".equalsIgnoreCase(request.param("atomicMode", "ALL"));
        this.reportMode = request.param("reportMode", "ERRORS").toUpperCase();
        this.relationships = new TrackerRelationships(instance);
        for (Kind k : Kind.values()) {
            payload.put(k, new ArrayList<>());
            invalid.put(k, new HashSet<>());
            uids.put(k, new HashSet<>());
        }
    }

    /** Imports the body and returns the ImportReport (without HTTP envelope; the caller sets 409 on ERROR). */
    ObjectNode run(InputStream body) {
        long start = System.nanoTime();
        java.time.Duration commitDelay = instance.faults().trackerCommitDelay();
        java.time.Instant stampedAt = commitDelay.isZero() ? null : instance.clock().tick();
        TrackerJsonReader.read(body, Set.of("trackedEntities", "enrollments", "events", "relationships"),
                (collection, object) -> {
                    if (collection != null) {
                        add(kindOf(collection), object, null);
                    }
                });
        long parsed = System.nanoTime();
        for (Kind kind : ORDER) {
            for (Obj o : payload.get(kind)) {
                validate(o);
            }
        }
        long validated = System.nanoTime();
        boolean persist = !(atomicAll && !errors.isEmpty());
        Map<Kind, int[]> stats = new EnumMap<>(Kind.class);
        Map<Kind, ArrayNode> reports = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            stats.put(k, new int[4]);
            reports.put(k, SandboxJson.array());
        }
        int total = 0;
        for (Kind k : ORDER) {
            total += payload.get(k).size();
        }
        if (persist) {
            if (stampedAt != null) {
                sleep(commitDelay);
            }
            persistAll(stats, reports, stampedAt);
            bump.apply();
        }
        int ignored = 0;
        for (Kind k : ORDER) {
            for (Obj o : payload.get(k)) {
                if (!persist || invalid.get(k).contains(o.uid()) || unchanged(o)) {
                    ignored++;
                    stats.get(k)[3]++;
                }
            }
        }
        return report(stats, reports, total, ignored, persist, start, parsed, validated);
    }

    // ---------------------------------------------------------------- payload

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

    // ---------------------------------------------------------------- validation

    private void validate(Obj o) {
        if (!Uids.isValid(o.uid())) {
            error(o, "E1048", "Object: `{0}`, uid: `{1}`, has an invalid uid format.", o.uid(), o.uid());
            return;
        }
        if (!existence(o) || strategy == Strategy.DELETE) {
            return;
        }
        if (instance.faults().rejectedUids().contains(o.uid())) {
            error(o, "E1000", "User: `{0}`, has no write access to OrganisationUnit: `{1}`.", instance.username(),
                    String.valueOf(o.body().path("orgUnit").asText(o.uid())));
            return;
        }
        switch (o.kind()) {
            case TRACKED_ENTITY -> validateTrackedEntity(o);
            case ENROLLMENT -> validateEnrollment(o);
            case EVENT -> validateEvent(o);
            case RELATIONSHIP -> validateRelationship(o);
        }
    }

    /** Existence against the store per strategy; false when the object got an error. */
    private boolean existence(Obj o) {
        Item existing = instance.tracker().get(o.kind(), o.uid()).orElse(null);
        String name = switch (o.kind()) {
            case TRACKED_ENTITY -> "TrackedEntity";
            case ENROLLMENT -> "Enrollment";
            case EVENT -> "Event";
            case RELATIONSHIP -> "Relationship";
        };
        if (existing != null && existing.deleted()) {
            String code = switch (o.kind()) {
                case TRACKED_ENTITY -> "E1114";
                case ENROLLMENT -> "E1113";
                case EVENT -> "E1082";
                case RELATIONSHIP -> "E4017";
            };
            return error(o, code, name + ": `{0}`, is already deleted and cannot be modified.", o.uid());
        }
        if (existing != null && strategy == Strategy.CREATE) {
            String code = switch (o.kind()) {
                case TRACKED_ENTITY -> "E1002";
                case ENROLLMENT -> "E1080";
                case EVENT -> "E1030";
                case RELATIONSHIP -> "E4015";
            };
            String label = o.kind() == Kind.TRACKED_ENTITY ? "TrackedEntityInstance" : name;
            return error(o, code, label + ": `{0}`, already exists.", o.uid());
        }
        if (existing != null && o.kind() == Kind.RELATIONSHIP && strategy != Strategy.DELETE) {
            // an update of a relationship: a warning, and the persister ignores it (ExistenceValidator)
            warnings.add(new Warning("E4015", "Relationship: `" + o.uid() + "`, already exists.", o.kind(),
                    o.uid()));
            existingRelationships.add(o.uid());
        }
        if (existing == null && (strategy == Strategy.UPDATE || strategy == Strategy.DELETE)) {
            return switch (o.kind()) {
                case TRACKED_ENTITY -> error(o, "E1063", "TrackedEntityInstance: `{0}`, does not exist.", o.uid());
                case ENROLLMENT -> error(o, "E1081", "Enrollment: `{0}`, do not exist.", o.uid());
                case EVENT -> error(o, "E1032", "Event: `{0}`, do not exist.", o.uid());
                case RELATIONSHIP -> error(o, "E4016", "Relationship: `{0}`, do not exist.", o.uid());
            };
        }
        return true;
    }

    private void validateTrackedEntity(Obj o) {
        Item existing = instance.tracker().get(o.kind(), o.uid()).orElse(null);
        String type = o.body().path("trackedEntityType").asText(null);
        String orgUnit = o.body().path("orgUnit").asText(null);
        if (type == null && existing == null) {
            error(o, "E1121", "Missing required trackedEntity property: `{0}`.", "trackedEntityType");
        } else if (type != null && !known(TrackerRefs.TE_TYPES, type)) {
            error(o, "E1005", "Could not find TrackedEntityType: `{0}`.", type);
        }
        if (orgUnit == null && existing == null) {
            error(o, "E1121", "Missing required trackedEntity property: `{0}`.", "orgUnit");
        } else if (orgUnit != null && !known(TrackerRefs.ORG_UNITS, orgUnit)) {
            error(o, "E1049", "Could not find OrganisationUnit: `{0}`, linked to Tracked Entity.", orgUnit);
        }
        checkAttributes(o);
    }

    private void validateEnrollment(Obj o) {
        String program = o.body().path("program").asText(null);
        String orgUnit = o.body().path("orgUnit").asText(null);
        String te = o.body().path("trackedEntity").asText(null);
        if (program == null) {
            error(o, "E1122", "Missing required enrollment property: `{0}`.", "program");
        } else if (!known(TrackerRefs.PROGRAMS, program)) {
            error(o, "E1069", "Could not find Program: `{0}`, linked to Enrollment.", program);
        } else if (!refs.isTrackerProgram(program)) {
            error(o, "E1014", "Provided Program: `{0}`, is a Program without registration. "
                    + "An Enrollment cannot be created into Program without registration.", program);
        }
        if (orgUnit == null) {
            error(o, "E1122", "Missing required enrollment property: `{0}`.", "orgUnit");
        } else if (!known(TrackerRefs.ORG_UNITS, orgUnit)) {
            error(o, "E1070", "Could not find OrganisationUnit: `{0}`, linked to Enrollment.", orgUnit);
        }
        if (te == null) {
            error(o, "E1122", "Missing required enrollment property: `{0}`.", "trackedEntity");
        } else if (invalid.get(Kind.TRACKED_ENTITY).contains(te)) {
            dependent(o, Kind.TRACKED_ENTITY, te);
        } else if (!inPayload(Kind.TRACKED_ENTITY, te) && !storedAlive(Kind.TRACKED_ENTITY, te)) {
            error(o, "E1068", "Could not find TrackedEntityInstance: `{0}`, linked to Enrollment.", te);
        }
        checkAttributes(o);
    }

    private void validateEvent(Obj o) {
        String stage = o.body().path("programStage").asText(null);
        String program = o.body().path("program").asText(null);
        String orgUnit = o.body().path("orgUnit").asText(null);
        if (stage == null) {
            error(o, "E1123", "Missing required event property: `{0}`.", "programStage");
        } else if (!known(TrackerRefs.PROGRAM_STAGES, stage)) {
            error(o, "E1013", "Could not find ProgramStage: `{0}`, linked to Event.", stage);
        } else if (program == null) {
            program = refs.programOfStage(stage).orElse(null);
            if (program != null) {
                o.body().put("program", program);
            }
        }
        if (program != null && !known(TrackerRefs.PROGRAMS, program)) {
            error(o, "E1010", "Could not find Program: `{0}`, linked to Event.", program);
        }
        if (orgUnit == null) {
            error(o, "E1123", "Missing required event property: `{0}`.", "orgUnit");
        } else if (!known(TrackerRefs.ORG_UNITS, orgUnit)) {
            error(o, "E1011", "Could not find OrganisationUnit: `{0}`, linked to Event.", orgUnit);
        }
        if (program != null && refs.isTrackerProgram(program)) {
            String enrollment = o.body().path("enrollment").asText(null);
            if (enrollment == null) {
                error(o, "E1033", "Event: `{0}`, Enrollment value is null.", o.uid());
            } else if (invalid.get(Kind.ENROLLMENT).contains(enrollment)) {
                dependent(o, Kind.ENROLLMENT, enrollment);
            } else if (!inPayload(Kind.ENROLLMENT, enrollment) && !storedAlive(Kind.ENROLLMENT, enrollment)) {
                error(o, "E1081", "Enrollment: `{0}`, do not exist.", enrollment);
            } else if (!o.body().hasNonNull("trackedEntity")) {
                instance.tracker().get(Kind.ENROLLMENT, enrollment).map(e -> e.text("trackedEntity"))
                        .ifPresent(te -> o.body().put("trackedEntity", te));
            }
        }
        checkAssignedUser(o, stage);
        for (JsonNode dv : o.body().path("dataValues")) {
            String de = dv.path("dataElement").asText("");
            if (!known(TrackerRefs.DATA_ELEMENTS, de)) {
                error(o, "E1304", "DataElement `{0}` is not a valid data element", de);
            } else if (stage != null && known(TrackerRefs.PROGRAM_STAGES, stage) && !refs.stageHasDataElement(stage, de)) {
                error(o, "E1305", "DataElement `{0}` is not part of `{1}` program stage", de, stage);
            }
        }
    }

    private void validateRelationship(Obj o) {
        String type = o.body().path("relationshipType").asText(null);
        if (type == null) {
            error(o, "E1124", "Missing required relationship property: `{0}`.", "relationshipType");
        } else if (!known(TrackerRefs.RELATIONSHIP_TYPES, type)) {
            error(o, "E4006", "Could not find relationship type: `{0}`.", type);
        }
        for (String side : new String[] {"from", "to"}) {
            JsonNode end = o.body().path(side);
            Kind kind = end.has("event") ? Kind.EVENT : end.has("enrollment") ? Kind.ENROLLMENT
                    : Kind.TRACKED_ENTITY;
            String uid = TrackerFormats.relationshipEnd(end);
            if (uid == null) {
                error(o, "E1124", "Missing required relationship property: `{0}`.", side);
            } else if (invalid.get(kind).contains(uid)) {
                dependent(o, kind, uid);
            } else if (!inPayload(kind, uid) && !storedAlive(kind, uid)) {
                error(o, "E4012", "Could not find `{0}`: `{1}`, linked to relationship.", kind.idField(), uid);
            }
        }
        if (instance.tracker().get(Kind.RELATIONSHIP, o.uid()).isEmpty()) {
            relationships.duplicate(o.uid(), o.body()).ifPresent(args -> error(o, "E4018",
                    "Relationship: `{0}`, linking {1}: `{2}` to {3}: `{4}` already exists.", args));
        }
    }

    /**
     * An assigned user must be a known user (E1118, error); assigning one in a stage that does not enable user
     * assignment is only a warning (E1120): AssignedUserValidator (2.40+) / AssignedUserValidationHook (2.39).
     */
    private void checkAssignedUser(Obj o, String stage) {
        JsonNode user = o.body().path("assignedUser");
        if (!user.isObject() || user.isEmpty()) {
            return;
        }
        String username = user.path("username").asText(null);
        if (username == null || !knownUser(username)) {
            error(o, "E1118", "Assigned user `{0}` is not valid.", user.toString());
        }
        boolean enabled = stage != null && instance.catalog().get(TrackerRefs.PROGRAM_STAGES, stage)
                .map(s -> s.path("enableUserAssignment").asBoolean(false)).orElse(false);
        if (!enabled) {
            warnings.add(new Warning("E1120", "ProgramStage `" + stage + "` does not allow user assignment",
                    o.kind(), o.uid()));
        }
    }

    private boolean knownUser(String username) {
        if (username.equals(instance.username())) {
            return true;
        }
        return instance.catalog().list("users").stream().anyMatch(u -> username.equals(u.path("username").asText())
                || username.equals(u.path("userCredentials").path("username").asText()));
    }

    private void checkAttributes(Obj o) {
        for (JsonNode a : o.body().path("attributes")) {
            String attribute = a.path("attribute").asText("");
            if (!known(TrackerRefs.ATTRIBUTES, attribute)) {
                error(o, "E1006", "Attribute: `{0}`, does not exist.", attribute);
            }
        }
    }

    /** Known metadata: in the catalog and not scripted as rejected (a central with different metadata). */
    private boolean known(String type, String uid) {
        return refs.exists(type, uid) && !instance.faults().rejectedUids().contains(uid);
    }

    /** An existing relationship sent again: validated, then ignored without an object report. */
    private boolean unchanged(Obj o) {
        return o.kind() == Kind.RELATIONSHIP && strategy != Strategy.DELETE && existingRelationships.contains(o.uid());
    }

    private boolean inPayload(Kind kind, String uid) {
        return uids.get(kind).contains(uid);
    }

    private boolean storedAlive(Kind kind, String uid) {
        return instance.tracker().get(kind, uid).map(i -> !i.deleted()).orElse(false);
    }

    private void dependent(Obj o, Kind parentKind, String parentUid) {
        error(o, "E5000", "\"{0}\" `{1}` cannot be persisted because \"{2}\" `{3}` referenced by it cannot be persisted.",
                o.kind().name(), o.uid(), parentKind.name(), parentUid);
    }

    private boolean error(Obj o, String code, String template, String... args) {
        String message = template;
        for (int i = 0; i < args.length; i++) {
            message = message.replace("{" + i + "}", args[i]);
        }
        errors.add(new Error(code, message, o.kind(), o.uid(), List.of(args)));
        invalid.get(o.kind()).add(o.uid());
        return false;
    }

    // ---------------------------------------------------------------- persistence

    private void persistAll(Map<Kind, int[]> stats, Map<Kind, ArrayNode> reports, java.time.Instant stampedAt) {
        TrackerStore store = instance.tracker();
        Kind[] order = ORDER;
        if (strategy == Strategy.DELETE) {
            order = new Kind[] {Kind.RELATIONSHIP, Kind.EVENT, Kind.ENROLLMENT, Kind.TRACKED_ENTITY};
        }
        for (Kind kind : order) {
            for (Obj o : payload.get(kind)) {
                if (invalid.get(kind).contains(o.uid()) || unchanged(o)) {
                    continue;
                }
                bump.note(kind, store.get(kind, o.uid()).map(Item::body).orElse(o.body()));
                if (strategy == Strategy.DELETE) {
                    Item before = store.get(kind, o.uid()).orElse(null);
                    if (store.delete(kind, o.uid()) && kind == Kind.RELATIONSHIP) {
                        relationships.bumpOrigins(before);
                    }
                    stats.get(kind)[2]++;
                } else {
                    Item existing = store.get(kind, o.uid()).orElse(null);
                    Item stored = store.put(kind, o.uid(), merged(o, existing), stampedAt);
                    if (kind == Kind.RELATIONSHIP) {
                        relationships.bumpOrigins(stored);
                    }
                    if (kind == Kind.ENROLLMENT && o.body().path("attributes").size() > 0) {
                        mergeEnrollmentAttributes(o);
                    }
                    stats.get(kind)[existing == null ? 0 : 1]++;
                }
                ObjectNode objectReport = SandboxJson.object().put("trackerType", kind.name()).put("uid", o.uid());
                if (!instance.version().atLeast(41)) { // Entity.index went in 2.41 (core@2.41.8.2 imports/report)
                    objectReport.put("index", o.index());
                }
                reports.get(kind).add(objectReport.set("errorReports", SandboxJson.array()));
            }
        }
    }

    private static void sleep(java.time.Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** DHIS2 merges attribute values (TE) and data values (event) into the existing ones on update. */
    private ObjectNode merged(Obj o, Item existing) {
        ObjectNode body = o.body().deepCopy();
        String now = Dhis2Dates.tracker(instance.clock().instant());
        if (o.kind() == Kind.EVENT) {
            body.set("dataValues", mergeValues(existing == null ? null : existing.body().path("dataValues"),
                    body.path("dataValues"), "dataElement", now));
        } else if (o.kind() == Kind.TRACKED_ENTITY) {
            body.set("attributes", mergeValues(existing == null ? null : existing.body().path("attributes"),
                    body.path("attributes"), "attribute", now));
        } else if (o.kind() == Kind.ENROLLMENT) {
            body.remove("attributes"); // stored on the tracked entity, as DHIS2 does
            if (!body.has("followUp") && existing == null) {
                body.put("followUp", false);
            }
        }
        if (existing != null) {
            ObjectNode base = existing.body().deepCopy();
            base.setAll(body);
            return base;
        }
        return body;
    }

    private void mergeEnrollmentAttributes(Obj enrollment) {
        String te = enrollment.body().path("trackedEntity").asText();
        instance.tracker().get(Kind.TRACKED_ENTITY, te).ifPresent(item -> {
            ObjectNode body = item.body().deepCopy();
            body.set("attributes", mergeValues(item.body().path("attributes"), enrollment.body().path("attributes"),
                    "attribute", Dhis2Dates.tracker(instance.clock().instant())));
            instance.tracker().put(Kind.TRACKED_ENTITY, te, body);
        });
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

    // ---------------------------------------------------------------- report

    private ObjectNode report(Map<Kind, int[]> stats, Map<Kind, ArrayNode> reports, int total, int ignored,
                              boolean persisted, long start, long parsed, long validated) {
        Dhis2Version version = instance.version();
        ObjectNode report = SandboxJson.object();
        report.put("status", errors.isEmpty() ? "OK" : "ERROR");
        ObjectNode validation = report.putObject("validationReport");
        ArrayNode errorReports = validation.putArray("errorReports");
        for (Error e : errors) {
            ObjectNode item = errorReports.addObject().put("message", e.message()).put("errorCode", e.code())
                    .put("trackerType", e.kind().name()).put("uid", e.uid());
            if (version.atLeast(41)) {
                ArrayNode args = item.putArray("args");
                e.args().forEach(args::add);
            }
        }
        // warnings travel only with reportMode WARNINGS or FULL (DefaultTrackerImportService.buildImportReport)
        ArrayNode warningReports = validation.putArray("warningReports");
        if (!"ERRORS".equals(reportMode)) {
            for (Warning w : warnings) {
                warningReports.addObject().put("message", w.message()).put("warningCode", w.code())
                        .put("trackerType", w.kind().name()).put("uid", w.uid());
            }
        }
        int[] sum = new int[4];
        for (int[] s : stats.values()) {
            for (int i = 0; i < 3; i++) {
                sum[i] += s[i];
            }
        }
        report.set("stats", stats(sum[0], sum[1], sum[2], ignored, total));
        // real 2.41.8.2 carries the bundle report whenever the bundle was committed, even with nothing in it
        // (an ignored re-posted relationship, an empty payload; SandboxVersusRealTest)
        boolean anything = persisted;
        if (anything) {
            ObjectNode map = report.putObject("bundleReport").putObject("typeReportMap");
            for (Kind k : ORDER) {
                int[] s = stats.get(k);
                ObjectNode type = map.putObject(k.name()).put("trackerType", k.name());
                type.set("stats", stats(s[0], s[1], s[2], s[3], s[0] + s[1] + s[2] + s[3]));
                ArrayNode objectReports = SandboxJson.array();
                reports.get(k).forEach(r -> {
                    if (!instance.faults().unconfirmedUids().contains(r.path("uid").asText())) {
                        objectReports.add(r);
                    }
                });
                type.set("objectReports", objectReports);
            }
        }
        if (!version.atLeast(41) && "FULL".equals(reportMode)) {
            ObjectNode timers = report.putObject("timingsStats").putObject("timers");
            long end = System.nanoTime();
            timers.put("preheat", seconds(parsed - start));
            timers.put("validation", seconds(validated - parsed));
            timers.put("commit", seconds(end - validated));
            timers.put("totalImport", seconds(end - start));
        }
        return report;
    }

    private static ObjectNode stats(int created, int updated, int deleted, int ignored, int total) {
        return SandboxJson.object().put("created", created).put("updated", updated).put("deleted", deleted)
                .put("ignored", ignored).put("total", total);
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.6f sec.", nanos / 1e9);
    }

    private static <E extends Enum<E>> E enumParam(SandboxRequest r, String name, Class<E> type, E fallback) {
        String value = r.param(name).orElse(null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw Dhis2Exception.badRequest("Value " + value + " is not a valid " + name);
        }
    }
}
