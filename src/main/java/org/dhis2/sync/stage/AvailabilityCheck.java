package org.dhis2.sync.stage;

import org.apache.camel.Exchange;

/**
 * Judges a DHIS2 ping the way DHIS2's own sync does (SyncUtils.isRemoteServerAvailable) and decides whether to
 * ping again. Used by routes/availability.camel.yaml; the result is the exchange variable {@value #RESULT}.
 */
public final class AvailabilityCheck {

    public static final String RESULT = "dhis2Availability";
    /** Pings done in the current check (the loop index is not reliable before the first iteration). */
    public static final String ATTEMPTS = "dhis2PingAttempts";

    /** Outcome of the last ping of an instance. */
    public record Availability(String instance, boolean available, int statusCode, String message) {
    }

    private final int attempts;

    public AvailabilityCheck(int attempts) {
        this.attempts = attempts;
    }

    /** Maps a ping's HTTP status to DHIS2's availability messages. */
    public static Availability judge(String instance, int status) {
        return switch (status) {
            case 200 -> new Availability(instance, true, status, "Authentication was successful");
            case 302 -> new Availability(instance, false, status, "No authentication was provided");
            case 401 -> new Availability(instance, false, status, "Authentication failed");
            case 500 -> new Availability(instance, false, status, "Remote server experienced an internal error");
            default -> new Availability(instance, false, status, "Server is not available: HTTP " + status);
        };
    }

    /** No answer at all (connection refused or reset, timeout, unknown host), in DHIS2's words. */
    public static Availability unreachable(String instance) {
        return new Availability(instance, false, 502, "Network is unreachable");
    }

    /** After a ping: records the judgement in the exchange variable. */
    public void record(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String instance = exchange.getVariable("dhis2Name", String.class);
        countAttempt(exchange);
        exchange.setVariable(RESULT, judge(instance, status == null ? 0 : status));
    }

    /** After a network failure (no answer at all). */
    public void recordUnreachable(Exchange exchange) {
        countAttempt(exchange);
        exchange.setVariable(RESULT, unreachable(exchange.getVariable("dhis2Name", String.class)));
    }

    /** Loop condition: ping again while unavailable and attempts remain. */
    public boolean pingAgain(Exchange exchange) {
        Availability last = exchange.getVariable(RESULT, Availability.class);
        int done = exchange.getVariable(ATTEMPTS, 0, Integer.class);
        return (last == null || !last.available()) && done < attempts;
    }

    private static void countAttempt(Exchange exchange) {
        exchange.setVariable(ATTEMPTS, exchange.getVariable(ATTEMPTS, 0, Integer.class) + 1);
    }

    /** Ends the check: an unavailable instance fails the stage with DHIS2's message; nothing is read or written. */
    public Availability requireAvailable(Exchange exchange) {
        Availability last = exchange.getVariable(RESULT, Availability.class);
        if (last == null || !last.available()) {
            throw new Dhis2UnavailableException(last == null ? "unknown" : last.instance(),
                    last == null ? "not checked" : last.message());
        }
        return last;
    }
}
