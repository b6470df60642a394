package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * The tracked entities one import touched through their enrollments, events and relationships, whose
 * {@code updatedAt} moves once the import is stored: DHIS2's persisters collect them
 * (EnrollmentPersister / EventPersister / RelationshipPersister.getUpdatedTrackedEntities, and the deletion
 * service) and the bundle updates their lastUpdated after the commit (DefaultTrackerBundleService.postCommit).
 * So a nested change makes the tracked entity appear again in an {@code updatedAfter} export.
 */
final class TrackedEntityBump {

    private final TrackerStore store;
    private final Set<String> trackedEntities = new HashSet<>();

    TrackedEntityBump(TrackerStore store) {
        this.store = store;
    }

    /** Notes the tracked entity of an enrollment or event being written or deleted. */
    void note(Kind kind, ObjectNode body) {
        switch (kind) {
            case ENROLLMENT, EVENT -> {
                String te = body.path("trackedEntity").asText(null);
                if (te == null && body.hasNonNull("enrollment")) {
                    te = store.get(Kind.ENROLLMENT, body.path("enrollment").asText())
                            .map(e -> e.text("trackedEntity")).orElse(null);
                }
                if (te != null) {
                    trackedEntities.add(te);
                }
            }
            default -> {
                // relationships bump their origins themselves (TrackerRelationships.bumpOrigins, REL-5)
            }
        }
    }

    /** After the import is stored: moves the updatedAt of every noted tracked entity that still exists. */
    void apply() {
        for (String te : trackedEntities) {
            if (store.get(Kind.TRACKED_ENTITY, te).map(i -> !i.deleted()).orElse(false)) {
                store.touch(Kind.TRACKED_ENTITY, te);
            }
        }
    }
}
