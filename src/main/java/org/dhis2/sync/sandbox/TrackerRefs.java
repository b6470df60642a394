package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Lookups of tracker metadata in an instance's catalog, as the tracker handlers validate and filter with them. */
final class TrackerRefs {

    static final String PROGRAMS = "programs";
    static final String PROGRAM_STAGES = "programStages";
    static final String ORG_UNITS = "organisationUnits";
    static final String DATA_ELEMENTS = "dataElements";
    static final String ATTRIBUTES = "trackedEntityAttributes";
    static final String TE_TYPES = "trackedEntityTypes";
    static final String RELATIONSHIP_TYPES = "relationshipTypes";

    private final MetadataCatalog catalog;

    TrackerRefs(MetadataCatalog catalog) {
        this.catalog = catalog;
    }

    boolean exists(String type, String uid) {
        return catalog.exists(type, uid);
    }

    Optional<String> name(String type, String uid) {
        return catalog.get(type, uid).map(o -> o.path("name").asText(null));
    }

    Optional<String> name(String orgUnit) {
        return name(ORG_UNITS, orgUnit);
    }

    boolean isTrackerProgram(String program) {
        return catalog.get(PROGRAMS, program)
                .map(p -> "WITH_REGISTRATION".equals(p.path("programType").asText()))
                .orElse(false);
    }

    /** The program a stage belongs to ({@code programStage.program.id}). */
    Optional<String> programOfStage(String stage) {
        return catalog.get(PROGRAM_STAGES, stage).map(s -> s.path("program").path("id").asText(null));
    }

    /** The stage's data elements ({@code programStageDataElements[].dataElement.id}). */
    boolean stageHasDataElement(String stage, String dataElement) {
        Optional<ObjectNode> s = catalog.get(PROGRAM_STAGES, stage);
        if (s.isEmpty()) {
            return false;
        }
        for (JsonNode psde : s.get().path("programStageDataElements")) {
            if (dataElement.equals(psde.path("dataElement").path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Org units of the hierarchy path of a unit ({@code /root/district/facility}), root first. */
    List<String> path(String orgUnit) {
        Optional<ObjectNode> ou = catalog.get(ORG_UNITS, orgUnit);
        if (ou.isEmpty()) {
            return List.of();
        }
        String path = ou.get().path("path").asText("");
        if (!path.isEmpty()) {
            List<String> result = new ArrayList<>();
            for (String p : path.split("/")) {
                if (!p.isEmpty()) {
                    result.add(p);
                }
            }
            return result;
        }
        List<String> chain = new ArrayList<>();
        String current = orgUnit;
        while (current != null && chain.size() < 20) {
            chain.add(0, current);
            current = catalog.get(ORG_UNITS, current).map(o -> o.path("parent").path("id").asText(null)).orElse(null);
        }
        return chain;
    }

    /**
     * Whether {@code candidate} is in scope of the selected units under an org unit mode: SELECTED (the units
     * themselves), CHILDREN (them and their direct children), DESCENDANTS (their subtrees); no units,
     * ACCESSIBLE, CAPTURE and ALL give everything: the exports first turn ACCESSIBLE and CAPTURE into DESCENDANTS
     * of the user's search or capture org units ({@link TrackerQuery#filter}).
     */
    boolean inScope(String candidate, List<String> selected, String mode) {
        if (selected.isEmpty() || "ALL".equals(mode) || "ACCESSIBLE".equals(mode) || "CAPTURE".equals(mode)) {
            return true;
        }
        if (candidate == null) {
            return false;
        }
        if (selected.contains(candidate)) {
            return true;
        }
        if ("SELECTED".equals(mode)) {
            return false;
        }
        List<String> path = path(candidate);
        for (String s : selected) {
            int at = path.indexOf(s);
            if (at >= 0 && ("DESCENDANTS".equals(mode) || at == path.size() - 2)) {
                return true;
            }
        }
        return false;
    }
}
