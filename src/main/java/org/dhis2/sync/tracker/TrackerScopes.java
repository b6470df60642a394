package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.dhis2.sync.tracker.TrackerPushStage.Mode;

/**
 * What a tracker stage reads, from the local instance's metadata before paging: the programs (or tracked entity
 * types) in turn, and the skip-sync attributes and data elements stripped from what is sent.
 */
final class TrackerScopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mode mode;
    private final List<String> programs;

    /** @param programs configured programs; empty = discovered (event programs, or tracked entity types) */
    TrackerScopes(Mode mode, List<String> programs) {
        this.mode = mode;
        this.programs = programs;
    }

    /**
     * After GET /api/programs of the local instance: skip-sync attributes, and the programs to read: the configured
     * ones (each must be a local program of the stage's type, else the stage fails naming the key, before anything
     * is sent) or, for events, every event program.
     */
    void readPrograms(Exchange exchange) throws Exception {
        TrackerPass pass = TrackerExchange.pass(exchange);
        JsonNode list = JSON.readTree(exchange.getMessage().getBody(String.class));
        pass.skipSync.addPrograms(list);
        List<String> ofType = new ArrayList<>();
        for (JsonNode p : list.path("programs")) {
            if (mode.programType.equals(p.path("programType").asText())) {
                ofType.add(p.path("id").asText());
            }
        }
        for (String configured : programs) {
            if (!ofType.contains(configured)) {
                throw new IllegalStateException(mode.programsKey() + ": '" + configured + "' is not "
                        + (mode == Mode.EVENTS ? "an event program" : "a tracker program") + " of the local DHIS2");
            }
        }
        pass.scopes.addAll(!programs.isEmpty() ? programs : mode == Mode.EVENTS ? ofType : List.of());
        TrackerExchange.clearForCall(exchange);
    }

    /** After GET /api/programStages of the local instance: skip-sync data elements per stage. */
    void readProgramStages(Exchange exchange) throws Exception {
        TrackerExchange.pass(exchange).skipSync
                .addProgramStages(JSON.readTree(exchange.getMessage().getBody(String.class)));
        TrackerExchange.clearForCall(exchange);
    }

    /** After GET /api/trackedEntityAttributes of the local instance (tracker stage): skip-sync attributes. */
    void readAttributes(Exchange exchange) throws Exception {
        TrackerExchange.pass(exchange).skipSync
                .addAttributes(JSON.readTree(exchange.getMessage().getBody(String.class)));
        TrackerExchange.clearForCall(exchange);
    }

    /** After GET /api/trackedEntityTypes (tracker stage): every type is read in turn, unless programs are configured. */
    void readTrackedEntityTypes(Exchange exchange) throws Exception {
        TrackerPass pass = TrackerExchange.pass(exchange);
        if (!programs.isEmpty()) {
            TrackerExchange.clearForCall(exchange);
            return;
        }
        for (JsonNode t : JSON.readTree(exchange.getMessage().getBody(String.class)).path("trackedEntityTypes")) {
            pass.scopes.add(t.path("id").asText());
        }
        TrackerExchange.clearForCall(exchange);
    }
}
