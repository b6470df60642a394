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

    static int minor(JsonNode info) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*2\\.(\\d+)")
                .matcher(info.path("version").asText(""));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static Instant serverDate(Exchange exchange, String which) throws Exception {
        Instant t = TrackerPushStage.parseTime(JSON.readTree(exchange.getMessage().getBody(String.class))
                .path("serverDate").asText(null));
        if (t == null) {
            throw new IllegalStateException("the " + which + " DHIS2 did not report its serverDate");
        }
        return t;
    }

    static DownloadPass pass(Exchange exchange) {
        DownloadPass pass = exchange.getVariable(DownloadPass.VARIABLE, DownloadPass.class);
        if (pass == null) {
            throw new IllegalStateException("no tracker download open on this exchange");
        }
        return pass;
    }

    static String caught(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        return e == null ? "unknown failure" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static void clearForCall(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
    }
}
