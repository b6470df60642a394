package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What the local instance flags {@code skipSynchronization}: tracked entity attributes (DHIS2 keeps the flag on
 * the TrackedEntityAttribute, read from {@code /api/trackedEntityAttributes}; the program's attribute link has no
 * such property) and program stage data elements (on the stage's programStageDataElements). {@link #strip} removes
 * those values from a tracked entity, enrollment or event and from every object nested in it, at any depth
 * (enrollments, events, a tracked entity nested in a relationship).
 */
public final class SkipSyncFields {

    private final Set<String> attributes = new HashSet<>();
    private final Map<String, Set<String>> dataElementsByStage = new HashMap<>();

    public static SkipSyncFields none() {
        return new SkipSyncFields();
    }

    /** Reads the program stages nested in an {@code /api/programs} list. */
    public void addPrograms(JsonNode programList) {
        for (JsonNode program : programList.path("programs")) {
            for (JsonNode stage : program.path("programStages")) {
                addStage(stage);
            }
        }
    }

    /** Reads an {@code /api/programStages} list. */
    public void addProgramStages(JsonNode stageList) {
        for (JsonNode stage : stageList.path("programStages")) {
            addStage(stage);
        }
    }

    /** Reads an {@code /api/trackedEntityAttributes?fields=id,skipSynchronization} list. */
    public void addAttributes(JsonNode attributeList) {
        if (!attributeList.path("trackedEntityAttributes").isArray()) {
            throw new IllegalStateException("the local DHIS2 sent no trackedEntityAttributes list");
        }
        for (JsonNode a : attributeList.path("trackedEntityAttributes")) {
            if (a.path("skipSynchronization").asBoolean(false)) {
                attributes.add(a.path("id").asText());
            }
        }
    }

    private void addStage(JsonNode stage) {
        for (JsonNode psde : stage.path("programStageDataElements")) {
            if (psde.path("skipSynchronization").asBoolean(false)) {
                dataElementsByStage.computeIfAbsent(stage.path("id").asText(), s -> new HashSet<>())
                        .add(psde.path("dataElement").path("id").asText());
            }
        }
    }

    /** Whether a value of this attribute stays on the local instance. */
    public boolean skipsAttribute(String attribute) {
        return attributes.contains(attribute);
    }

    /** Whether a value of this data element in this program stage stays on the local instance. */
    public boolean skipsDataValue(String programStage, String dataElement) {
        return dataElementsByStage.getOrDefault(programStage, Set.of()).contains(dataElement);
    }

    public Set<String> attributes() {
        return Set.copyOf(attributes);
    }

    public boolean isEmpty() {
        return attributes.isEmpty() && dataElementsByStage.isEmpty();
    }

    /** Removes skip-sync attribute and data values from the object and from everything nested in it. */
    public void strip(ObjectNode object) {
        remove(object.path("attributes"), "attribute", attributes);
        Set<String> des = dataElementsByStage.get(object.path("programStage").asText(""));
        if (des != null) {
            remove(object.path("dataValues"), "dataElement", des);
        }
        for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
            JsonNode child = it.next();
            if (child instanceof ObjectNode o) {
                strip(o);
            } else if (child instanceof ArrayNode array) {
                for (JsonNode element : array) {
                    if (element instanceof ObjectNode o) {
                        strip(o);
                    }
                }
            }
        }
    }

    /**
     * Removes the skip-sync attribute and data values that are empty, at any depth: a download must never blank a
     * value the local instance keeps for itself (central never received it, so it has nothing or nothing better).
     */
    public void stripBlank(ObjectNode object) {
        removeBlank(object.path("attributes"), "attribute", attributes);
        Set<String> des = dataElementsByStage.get(object.path("programStage").asText(""));
        if (des != null) {
            removeBlank(object.path("dataValues"), "dataElement", des);
        }
        for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
            JsonNode child = it.next();
            for (JsonNode element : child.isArray() ? child : java.util.List.of(child)) {
                if (element instanceof ObjectNode o) {
                    stripBlank(o);
                }
            }
        }
    }

    private static void removeBlank(JsonNode values, String key, Set<String> skipped) {
        if (!(values instanceof ArrayNode array) || skipped.isEmpty()) {
            return;
        }
        for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (skipped.contains(v.path(key).asText()) && v.path("value").asText("").isBlank()) {
                it.remove();
            }
        }
    }

    private static void remove(JsonNode values, String key, Set<String> skipped) {
        if (!(values instanceof ArrayNode array) || skipped.isEmpty()) {
            return;
        }
        for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
            if (skipped.contains(it.next().path(key).asText())) {
                it.remove();
            }
        }
    }
}
