package org.dhis2.sync.tracker;

import org.apache.camel.Exchange;
import org.dhis2.sync.tracker.TrackerPass.Page;

/** What the steps of a tracker stage keep on, take from and clear on the route's exchange. */
final class TrackerExchange {

    private TrackerExchange() {
    }

    /** The run's state, set when the window opens. */
    static TrackerPass pass(Exchange exchange) {
        TrackerPass pass = exchange.getVariable(TrackerPass.VARIABLE, TrackerPass.class);
        if (pass == null) {
            throw new IllegalStateException("no tracker window open on this exchange");
        }
        return pass;
    }

    /** The page a split branch sends. */
    static Page page(Exchange exchange) {
        Page page = exchange.getVariable(TrackerPushStage.PAGE, Page.class);
        if (page == null) {
            throw new IllegalStateException("no tracker page on this exchange");
        }
        return page;
    }

    /** The caught failure as text (removed from the exchange). */
    static String caught(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        return e == null ? "unknown failure" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Nothing of the previous answer (headers, body) may leak into the next request. */
    static void clearForCall(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
    }
}
