package org.dhis2.sync.load;

import java.net.SocketTimeoutException;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Tells whether a failed POST to central means "this page is too large": 413 (a proxy's or server's body limit;
 * never worth sending again as it is), 502 / 504 (a gateway gave up waiting for central's import) or a read timeout
 * (central took longer than dhis2.http.responseTimeoutMillis). 502, 504 and timeouts are first retried like any
 * transient fault (routes/error-handling.camel.yaml); only once the retries ran out does the page count as too large.
 *
 * <p>Sending the halves again is safe even when central imported the page before the gateway gave up: a data value
 * or complete registration imported again with the same content is updated in place (one row per identity), and
 * the tracker import is CREATE_AND_UPDATE (DELETE of an object already deleted is a per-object error that the stage
 * already judges). Nothing is duplicated on central.
 */
public final class TooLarge {

    private TooLarge() {
    }

    /** Why the exchange's failure says the page was too large, or empty when it says something else. */
    public static Optional<String> reason(Exchange exchange) {
        Throwable error = exchange.getException();
        if (error == null) {
            error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return reason(error);
    }

    static Optional<String> reason(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException failed) {
                int status = failed.getStatusCode();
                return status == 413 || status == 502 || status == 504 ? Optional.of("HTTP " + status)
                        : Optional.empty();
            }
            if (t instanceof SocketTimeoutException) {
                return Optional.of("no answer in time");
            }
        }
        return Optional.empty();
    }
}
