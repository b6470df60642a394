package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.DownloadSettings;
import org.dhis2.sync.tracker.TrackerBookkeeping;

/**
 * What a download run reads before paging: central's tracker programs (a cursor per program from its watermark, or
 * the program asked for by UID) and the local skip-sync fields, never blanked by an import.
 */
final class DownloadScopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrackerBookkeeping books;
    private final DownloadSettings settings;
    private final Duration overlap;
    private final DownloadFetches fetches;

    DownloadScopes(TrackerBookkeeping books, DownloadSettings settings, Duration overlap, DownloadFetches fetches) {
        this.books = books;
        this.settings = settings;
        this.overlap = overlap;
        this.fetches = fetches;
    }

    /**
     * After GET /api/programs of central: the tracker programs and their access levels. A configured program that is
     * not a tracker program of central fails the stage naming the key; by UID, a CLOSED program is refused.
     */
    void readPrograms(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        for (JsonNode p : JSON.readTree(exchange.getMessage().getBody(String.class)).path("programs")) {
            if ("WITH_REGISTRATION".equals(p.path("programType").asText())) {
                pass.programs.put(p.path("id").asText(), new DownloadPass.Program(p.path("id").asText(),
                        p.path("accessLevel").asText("OPEN")));
            }
        }
        for (String configured : settings.programs()) {
            if (!pass.programs.containsKey(configured)) {
                throw new IllegalStateException("sync.download.programs: '" + configured
                        + "' is not a tracker program of the central DHIS2");
            }
        }
        if (pass.byUid) {
            fetches.checkRequestedProgram(pass);
        } else {
            for (String uid : settings.programs().isEmpty() ? List.copyOf(pass.programs.keySet())
                    : settings.programs()) {
                Instant watermark = books.watermark(TrackerDownloadStage.WATERMARK_PREFIX + uid).orElse(null);
                Instant lower = watermark == null ? null : watermark.minus(overlap);
                pass.cursors.add(new DownloadPass.Cursor(pass.programs.get(uid), watermark, lower,
                        settings.pageSize()));
            }
        }
        DownloadExchange.clearForCall(exchange);
    }

    /** After GET /api/trackedEntityAttributes of the local instance: skip-sync attributes (never blanked). */
    void readAttributes(Exchange exchange) throws Exception {
        DownloadExchange.pass(exchange).skipSync.addAttributes(JSON.readTree(exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
    }

    /** After GET /api/programStages of the local instance: skip-sync data elements (never blanked). */
    void readProgramStages(Exchange exchange) throws Exception {
        DownloadExchange.pass(exchange).skipSync.addProgramStages(JSON.readTree(exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
    }
}
