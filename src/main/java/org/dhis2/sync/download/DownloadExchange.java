package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.dhis2.sync.tracker.TrackerPushStage;

/** What the download's route steps share on the exchange: the run's pass, DHIS2 answers read, calls prepared. */
final class DownloadExchange {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DownloadExchange() {
    }

    /** The minor version of a {@code /api/system/info} answer (2.41.8.2 gives 41), as the push stages read it. */
    static int minor(JsonNode info) {
        return org.dhis2.sync.tracker.TrackerReadQuery.minorVersion(info.path("version").asText(null));
    }

    static Instant serverDate(Exchange exchange, String which) throws Exception {
        return TrackerPushStage.serverDate(JSON.readTree(exchange.getMessage().getBody(String.class)), which);
    }

    static DownloadPass pass(Exchange exchange) {
        DownloadPass pass = exchange.getVariable(DownloadPass.VARIABLE, DownloadPass.class);
        if (pass == null) {
            throw new IllegalStateException("no tracker download open on this exchange");
        }
        return pass;
    }

    static String caught(Exchange exchange) {
        return TrackerPushStage.caught(exchange);
    }

    static void clearForCall(Exchange exchange) {
        TrackerPushStage.clearForCall(exchange);
    }
}
