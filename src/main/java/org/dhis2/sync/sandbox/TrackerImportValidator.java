package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.dhis2.sync.sandbox.TrackerImportPayload.Obj;
import org.dhis2.sync.sandbox.TrackerImporter.Strategy;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * Validation of one tracker import against the store and the catalog, with DHIS2's error codes (E1xxx / E4xxx,
 * E5000 for dependents of an invalid object); what it finds goes to {@link TrackerImportFindings}.
 */
final class TrackerImportValidator {

    private final Dhis2Instance instance;
    private final TrackerRefs refs;
    private final Strategy strategy;
    private final TrackerImportPayload payload;
    private final TrackerImportFindings findings;
    private final TrackerRelationships relationships;
    private final TrackerImportExistence existence;

    TrackerImportValidator(Dhis2Instance instance, TrackerRefs refs, Strategy strategy, TrackerImportPayload payload,
                           TrackerImportFindings findings, TrackerRelationships relationships) {
        this.instance = instance;
        this.refs = refs;
        this.strategy = strategy;
        this.payload = payload;
        this.findings = findings;
        this.relationships = relationships;
        this.existence = new TrackerImportExistence(instance, strategy, findings);
    }

    /** Validates every object, parents before children (so dependents see their parent's errors). */
    void validateAll() {
        for (Kind kind : TrackerImportPayload.ORDER) {
            for (Obj o : payload.of(kind)) {
                validate(o);
            }
        }
    }

    private void validate(Obj o) {
        if (!Uids.isValid(o.uid())) {
            error(o, "E1048", "Object: `{0}`, uid: `{1}`, has an invalid uid format.", o.uid(), o.uid());
            return;
        }
        if (!existence.check(o) || strategy == Strategy.DELETE) {
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
        } else if (findings.isInvalid(Kind.TRACKED_ENTITY, te)) {
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
            } else if (findings.isInvalid(Kind.ENROLLMENT, enrollment)) {
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
            } else if (findings.isInvalid(kind, uid)) {
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
            findings.warning(o, "E1120", "ProgramStage `" + stage + "` does not allow user assignment");
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

    private boolean inPayload(Kind kind, String uid) {
        return payload.contains(kind, uid);
    }

    private boolean storedAlive(Kind kind, String uid) {
        return instance.tracker().get(kind, uid).map(i -> !i.deleted()).orElse(false);
    }

    private void dependent(Obj o, Kind parentKind, String parentUid) {
        findings.dependent(o, parentKind, parentUid);
    }

    private boolean error(Obj o, String code, String template, String... args) {
        return findings.error(o, code, template, args);
    }
}
