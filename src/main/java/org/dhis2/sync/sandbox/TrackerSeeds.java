package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * Test helpers that write tracker data straight into an instance (no import, no validation), stamped by the
 * instance's clock like any edit on that DHIS2. For richer objects use {@link TrackerStore#put} with a new-format
 * body; {@link TrackerStore#touch} is "someone edited it here"; {@link TrackerStore#delete} soft-deletes.
 */
public final class TrackerSeeds {

    private TrackerSeeds() {
    }

    /**
     * Creates or replaces a tracked entity registered at {@code orgUnit}, of the program's tracked entity type, with
     * one ACTIVE enrollment in the program at the same org unit (which makes that org unit its owner for the
     * program). Returns the stored tracked entity (after the enrollment, so its updatedAt is the later one).
     */
    public static Item enrolledTrackedEntity(Dhis2Instance instance, String trackedEntity, String enrollment,
                                             String program, String orgUnit) {
        String type = instance.catalog().get(TrackerRefs.PROGRAMS, program)
                .map(p -> p.path("trackedEntityType").path("id").asText(null))
                .orElseThrow(() -> new IllegalArgumentException("no tracker program " + program));
        TrackerStore store = instance.tracker();
        store.put(Kind.TRACKED_ENTITY, trackedEntity, SandboxJson.object().put("trackedEntityType", type)
                .put("orgUnit", orgUnit));
        store.put(Kind.ENROLLMENT, enrollment, SandboxJson.object().put("trackedEntity", trackedEntity)
                .put("program", program).put("orgUnit", orgUnit).put("status", "ACTIVE")
                .put("enrolledAt", "2024-01-01T00:00:00.000").put("occurredAt", "2024-01-01T00:00:00.000"));
        return store.touch(Kind.TRACKED_ENTITY, trackedEntity);
    }

    /** Creates or replaces an event of an enrollment in a program stage, at the enrollment's org unit. */
    public static Item event(Dhis2Instance instance, String event, String enrollment, String programStage) {
        Item e = instance.tracker().get(Kind.ENROLLMENT, enrollment)
                .orElseThrow(() -> new IllegalArgumentException("no enrollment " + enrollment));
        ObjectNode body = SandboxJson.object().put("enrollment", enrollment).put("program", e.text("program"))
                .put("programStage", programStage).put("trackedEntity", e.text("trackedEntity"))
                .put("orgUnit", e.text("orgUnit")).put("status", "ACTIVE")
                .put("occurredAt", "2024-01-02T00:00:00.000");
        body.putArray("dataValues");
        return instance.tracker().put(Kind.EVENT, event, body);
    }

    /** Creates or replaces a relationship of a type between two tracked entities. */
    public static Item relationship(Dhis2Instance instance, String relationship, String relationshipType,
                                    String fromTrackedEntity, String toTrackedEntity) {
        ObjectNode body = SandboxJson.object().put("relationshipType", relationshipType);
        body.putObject("from").putObject("trackedEntity").put("trackedEntity", fromTrackedEntity);
        body.putObject("to").putObject("trackedEntity").put("trackedEntity", toTrackedEntity);
        return instance.tracker().put(Kind.RELATIONSHIP, relationship, body);
    }
}
