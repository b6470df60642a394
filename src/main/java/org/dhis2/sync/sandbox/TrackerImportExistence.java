package org.dhis2.sync.sandbox;

import org.dhis2.sync.sandbox.TrackerImportPayload.Obj;
import org.dhis2.sync.sandbox.TrackerImporter.Strategy;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * The first check of every tracker object (DHIS2's ExistenceValidator): does the object exist, deleted or not, as
 * the import strategy requires.
 */
final class TrackerImportExistence {

    private final Dhis2Instance instance;
    private final Strategy strategy;
    private final TrackerImportFindings findings;

    TrackerImportExistence(Dhis2Instance instance, Strategy strategy, TrackerImportFindings findings) {
        this.instance = instance;
        this.strategy = strategy;
        this.findings = findings;
    }

    /** Existence against the store per strategy; false when the object got an error. */
    boolean check(Obj o) {
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
            findings.warning(o, "E4015", "Relationship: `" + o.uid() + "`, already exists.");
            findings.existingRelationship(o.uid());
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

    private boolean error(Obj o, String code, String template, String... args) {
        return findings.error(o, code, template, args);
    }
}
