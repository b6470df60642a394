package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerImportPayload.Obj;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * What validating one tracker import found: errors (which make their object invalid), warnings, and relationships
 * that exist already; written out as the ImportReport's {@code validationReport}.
 */
final class TrackerImportFindings {

    private record Error(String code, String message, Kind kind, String uid, List<String> args) {
    }

    private record Warning(String code, String message, Kind kind, String uid) {
    }

    private final Map<Kind, Set<String>> invalid = new EnumMap<>(Kind.class);
    private final List<Error> errors = new ArrayList<>();
    private final List<Warning> warnings = new ArrayList<>();
    /** Relationships that exist already: DHIS2 never updates them (RelationshipPersister.isUpdatable). */
    private final Set<String> existingRelationships = new HashSet<>();

    TrackerImportFindings() {
        for (Kind k : Kind.values()) {
            invalid.put(k, new HashSet<>());
        }
    }

    /** Records an error with its message filled from the template; always false, so validators can return it. */
    boolean error(Obj o, String code, String template, String... args) {
        String message = template;
        for (int i = 0; i < args.length; i++) {
            message = message.replace("{" + i + "}", args[i]);
        }
        errors.add(new Error(code, message, o.kind(), o.uid(), List.of(args)));
        invalid.get(o.kind()).add(o.uid());
        return false;
    }

    void dependent(Obj o, Kind parentKind, String parentUid) {
        error(o, "E5000", "\"{0}\" `{1}` cannot be persisted because \"{2}\" `{3}` referenced by it cannot be persisted.",
                o.kind().name(), o.uid(), parentKind.name(), parentUid);
    }

    void warning(Obj o, String code, String message) {
        warnings.add(new Warning(code, message, o.kind(), o.uid()));
    }

    /** Notes a relationship sent again (only recorded by non-delete imports). */
    void existingRelationship(String uid) {
        existingRelationships.add(uid);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    boolean isInvalid(Kind kind, String uid) {
        return invalid.get(kind).contains(uid);
    }

    /**
     * An existing relationship sent again: validated, then ignored without an object report. The set is filled
     * only when the strategy is not DELETE, so no strategy check is needed here.
     */
    boolean unchanged(Obj o) {
        return o.kind() == Kind.RELATIONSHIP && existingRelationships.contains(o.uid());
    }

    /** Not persisted: invalid, or an unchanged relationship. */
    boolean skipped(Obj o) {
        return isInvalid(o.kind(), o.uid()) || unchanged(o);
    }

    void writeValidationReport(ObjectNode report, Dhis2Version version, String reportMode) {
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
    }
}
