package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.dhis2.sync.ledger.LedgerNotifier;
import org.dhis2.sync.tracker.TrackerPass.Page;

/**
 * A page's trip to central (split branch of the stage's sendPage route): its DELETE import before its
 * CREATE_AND_UPDATE import, each answer read by an {@link ImportReportJudge} kept on the page until it settles.
 */
final class TrackerPageImports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrackerPageImports() {
    }

    /** Split branch: the page it sends (its body) goes to the variable {@value TrackerPushStage#PAGE}. */
    static void beginPage(Exchange exchange) {
        exchange.setVariable(TrackerPushStage.PAGE, exchange.getMessage().getBody(Page.class));
        exchange.setProperty(LedgerNotifier.PAGE, TrackerExchange.page(exchange).number); // request ledger
    }

    /** Before a POST to central: the page's DELETE or CREATE_AND_UPDATE payload as body, nothing else. */
    static void prepareSend(Exchange exchange, boolean deletes) {
        Page page = TrackerExchange.page(exchange);
        TrackerExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(deletes ? page.deletes : page.upserts);
    }

    /** After an import: the report per object (200 or 409 carry one; anything else fails the page). */
    static ImportReportJudge judge(Exchange exchange, boolean delete) throws Exception {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        if (status != 200 && status != 409) {
            throw new IllegalStateException("central answered HTTP " + status + ": " + abbreviate(body));
        }
        try {
            return ImportReportJudge.judge(JSON.readTree(body), delete);
        } catch (Exception e) {
            throw new IllegalStateException("central's import report could not be read: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
