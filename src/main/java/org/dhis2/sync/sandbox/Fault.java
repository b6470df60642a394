package org.dhis2.sync.sandbox;

import java.time.Duration;

/**
 * What goes wrong with one request. Status faults answer before the handler runs (nothing is imported);
 * {@link Kind#RESET_MID_BODY} and {@link Kind#MALFORMED_BODY} let the handler run (the import happens) and then
 * spoil the answer, as a proxy or a dropped link would.
 */
public record Fault(Kind kind, int status, Duration duration, Runnable change, String retryAfter, long bytes) {

    public enum Kind {
        /** Delay, then handle normally. */
        LATENCY,
        /** Answer with a status (5xx, 429, 409, 401) and a DHIS2 error body, without handling. */
        STATUS,
        /** Handle, then cut the connection in the middle of the response body. */
        RESET_MID_BODY,
        /** Handle, then answer 200 with a body that is not valid JSON. */
        MALFORMED_BODY,
        /** Hold the request without answering (until the client gives up, or {@code duration}), then drop it. */
        HANG,
        /**
         * Handle normally, then run {@code change} on the instance before the exchange ends: someone edits data on
         * the server right after this answer (e.g. between two pages a client reads).
         */
        CHANGE_AFTER_ANSWER,
        /**
         * Run {@code change} when the request has arrived, before it is handled (e.g. the client dies while its
         * request is on the wire), then handle it normally.
         */
        BEFORE_HANDLING,
        /**
         * A proxy's body limit: a request whose body is larger than {@code bytes} is answered with {@code status}
         * (413) without handling; smaller ones are handled normally.
         */
        BODY_LIMIT,
        /**
         * Handle (the import happens), then answer {@code status} instead of the handler's answer: a gateway that
         * gave up waiting (502/504) while the server went on and finished its work.
         */
        STATUS_AFTER_HANDLING
    }

    public Fault(Kind kind, int status, Duration duration, Runnable change, String retryAfter) {
        this(kind, status, duration, change, retryAfter, 0);
    }

    public Fault(Kind kind, int status, Duration duration) {
        this(kind, status, duration, null, null);
    }

    public Fault(Kind kind, int status, Duration duration, Runnable change) {
        this(kind, status, duration, change, null);
    }

    public static Fault latency(Duration delay) {
        return new Fault(Kind.LATENCY, 0, delay);
    }

    public static Fault status(int status) {
        return new Fault(Kind.STATUS, status, Duration.ZERO);
    }

    /**
     * A status answer (429 from a rate-limiting proxy, 503 from a server or proxy under load) with a
     * {@code Retry-After} header: delay-seconds ("2") or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT").
     */
    public static Fault status(int status, String retryAfter) {
        return new Fault(Kind.STATUS, status, Duration.ZERO, null, retryAfter);
    }

    /** Requests with a body larger than {@code bytes} are answered 413 Payload Too Large, unhandled. */
    public static Fault bodyLimit(long bytes) {
        return new Fault(Kind.BODY_LIMIT, 413, Duration.ZERO, null, null, bytes);
    }

    /** Handled, then answered with {@code status} (a gateway timeout after the server did its work). */
    public static Fault statusAfterHandling(int status) {
        return new Fault(Kind.STATUS_AFTER_HANDLING, status, Duration.ZERO);
    }

    public static Fault resetMidBody() {
        return new Fault(Kind.RESET_MID_BODY, 0, Duration.ZERO);
    }

    public static Fault malformedBody() {
        return new Fault(Kind.MALFORMED_BODY, 0, Duration.ZERO);
    }

    public static Fault hang(Duration atMost) {
        return new Fault(Kind.HANG, 0, atMost);
    }

    public static Fault beforeHandling(Runnable change) {
        return new Fault(Kind.BEFORE_HANDLING, 0, Duration.ZERO, change);
    }

    public static Fault changeAfterAnswer(Runnable change) {
        return new Fault(Kind.CHANGE_AFTER_ANSWER, 0, Duration.ZERO, change);
    }
}
