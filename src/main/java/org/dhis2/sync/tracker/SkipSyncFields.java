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
 * What the local instance flags {@code skipSynchronization}: tracked entity attributes (on the attribute or on the
 * program's attribute link) and program stage data elements. {@link #strip} removes those values from a tracked
 * entity, enrollment or event (and everything nested in it) before it is sent.
 */
public final class SkipSyncFields {

    private final Set<String> attributes = new HashSet<>();
    private final Map<String, Set<String>> dataElementsByStage = new HashMap<>();

    public static SkipSyncFields none() {
        return new SkipSyncFields();
    }

    /** Reads {@code /api/programs} and {@code /api/programStages} lists (and optionally trackedEntityAttributes). */
    public void addPrograms(JsonNode programList) {
        for (JsonNode program : programList.path("programs")) {
            for (JsonNode ptea : program.path("programTrackedEntityAttributes")) {
                if (ptea.path("skipSynchronization").asBoolean(false)) {
                    attributes.add(ptea.path("trackedEntityAttribute").path("id").asText());
                }
            }
            for (JsonNode stage : program.path("programStages")) {
                addStage(stage);
            }
        }
    }

    public void addProgramStages(JsonNode stageList) {
        for (JsonNode stage : stageList.path("programStages")) {
            addStage(stage);
        }
    }

    public void addAttributes(JsonNode attributeList) {
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

    public Set<String> attributes() {
        return Set.copyOf(attributes);
    }

    public boolean isEmpty() {
        return attributes.isEmpty() && dataElementsByStage.isEmpty();
    }

    /** Removes skip-sync attribute and data values from the object and its nested enrollments and events. */
    public void strip(ObjectNode object) {
        remove(object.path("attributes"), "attribute", attributes);
        Set<String> des = dataElementsByStage.get(object.path("programStage").asText(""));
        if (des != null) {
            remove(object.path("dataValues"), "dataElement", des);
        }
        for (String nested : new String[] {"enrollments", "events"}) {
            for (JsonNode child : object.path(nested)) {
                if (child instanceof ObjectNode o) {
                    strip(o);
                }
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
