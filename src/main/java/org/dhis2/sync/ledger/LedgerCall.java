package org.dhis2.sync.ledger;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One attempt of an HTTP call to DHIS2 while it is under way. Two sides fill it: the exchange side (the event
 * notifier: run, stage, page, attempt, time, Camel's outcome) and the HTTP client side (the request as sent, status,
 * bytes out and in, until the answer's body is read or closed). It becomes a {@link LedgerRow} once both are done;
 * a call the HTTP client never saw (failed before it was sent) is done when the exchange side is.
 */
final class LedgerCall {

    /** What the exchange knows of the call when it is sent. */
    record Context(String syncPair, Long runId, String jobType, String stage, String step, Integer page, int attempt,
                   String method, String url) {
    }

    final UUID requestId = UUID.randomUUID();
    final Instant at = Instant.now();
    final long startNanos = System.nanoTime();
    private final Context context;
    private final SafeUri safe;
    private final Consumer<LedgerCall> done;
    final AtomicLong bytesOut = new AtomicLong(-1);
    final AtomicLong bytesIn = new AtomicLong(-1);
    private String sentMethod;
    private String sentUrl;
    private Integer status;
    private boolean httpStarted;
    private boolean httpDone;
    private boolean exchangeDone;
    private long millis = -1;
    private Integer camelStatus;
    private String failure;
    private boolean emitted;

    LedgerCall(Context context, SafeUri safe, Consumer<LedgerCall> done) {
        this.context = context;
        this.safe = safe;
        this.done = done;
    }

    /** The HTTP client sends the request. */
    synchronized void httpStarted(String method, String url) {
        httpStarted = true;
        sentMethod = method;
        sentUrl = url;
    }

    synchronized void answered(int code) {
        status = code;
    }

    /** The answer's body was read to its end or closed, or the request failed in the HTTP client. */
    void httpDone() {
        boolean complete;
        synchronized (this) {
            httpDone = true;
            complete = exchangeDone;
        }
        if (complete) {
            emit();
        }
    }

    /** The exchange got its outcome: Camel's view of the status (null: none) and the failure class when no answer. */
    void exchangeDone(long tookMillis, Integer statusSeen, String failureClass) {
        boolean complete;
        synchronized (this) {
            exchangeDone = true;
            millis = tookMillis;
            camelStatus = statusSeen;
            failure = failureClass;
            complete = !httpStarted || httpDone;
        }
        if (complete) {
            emit();
        }
    }

    synchronized boolean exchangeDone() {
        return exchangeDone;
    }

    /** Emits the row now with what is known (shutdown, or an answer whose body was never closed). */
    void emit() {
        synchronized (this) {
            if (emitted) {
                return;
            }
            emitted = true;
        }
        done.accept(this);
    }

    synchronized LedgerRow row() {
        String[] where = safe.split(sentUrl != null ? sentUrl : context.url());
        Integer answer = status != null ? status : camelStatus;
        long took = millis >= 0 ? millis : (System.nanoTime() - startNanos) / 1_000_000;
        return new LedgerRow(context.syncPair(), context.runId(), context.jobType(), context.stage(), context.step(),
                context.page(), sentMethod != null ? sentMethod : context.method(), where[0], where[1], answer,
                answer == null ? (failure != null ? failure : "NoAnswer") : null,
                bytesOut.get() < 0 ? (httpStarted ? 0L : null) : bytesOut.get(),
                bytesIn.get() < 0 ? null : bytesIn.get(), took, context.attempt(), requestId, at);
    }
}
