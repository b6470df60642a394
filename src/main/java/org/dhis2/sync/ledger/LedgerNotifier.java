package org.dhis2.sync.ledger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;

/**
 * The exchange's side of the request ledger. Before every send to an HTTP endpoint (a DHIS2 call, first attempt or a
 * redelivery of routes/error-handling.camel.yaml) it puts a fresh {@value #REQUEST_ID} header on the message (the
 * HTTP client sends it; DHIS2 and proxies may log it) and notes what the exchange knows: the run
 * ({@link JobCoordinator#RUN_PROPERTY}), the step id ({@code <stage>.<action>}, whose first part is the stage), the
 * page a push stage is sending ({@value #PAGE}), the attempt. After the send it notes the outcome and removes the
 * header again.
 */
public final class LedgerNotifier extends EventNotifierSupport {

    public static final String REQUEST_ID = "X-Request-ID";
    /** Exchange property: the number of the page a push stage is sending (set by the stage). */
    public static final String PAGE = "dhis2sync.ledger.page";
    /** Exchange property: the sync pair, when a route knows it; else the run's pair is taken from job_run. */
    public static final String PAIR = "dhis2sync.syncPair";
    /** Exchange property: the step and redelivery counter of the exchange's last DHIS2 call (to count attempts). */
    private static final String LAST_CALL = "dhis2sync.ledger.lastCall";

    private record LastCall(String step, int redeliveries, boolean failed) {
    }

    private final Map<String, LedgerCall> calls = new ConcurrentHashMap<>();
    private final SafeUri safe;
    private final LedgerWriter writer;

    LedgerNotifier(SafeUri safe, LedgerWriter writer) {
        this.safe = safe;
        this.writer = writer;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /** The call an X-Request-ID belongs to, for the HTTP client's side. */
    LedgerCall call(String requestId) {
        return calls.get(requestId);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return (event instanceof ExchangeSendingEvent s && s.getEndpoint() instanceof HttpEndpoint)
                || (event instanceof ExchangeSentEvent t && t.getEndpoint() instanceof HttpEndpoint);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent s) {
            sending(s.getExchange(), (HttpEndpoint) s.getEndpoint());
        } else if (event instanceof ExchangeSentEvent t) {
            sent(t.getExchange(), t.getTimeTaken());
        }
    }

    private void sending(Exchange exchange, HttpEndpoint endpoint) {
        String step = exchange.getExchangeExtension().getHistoryNodeId();
        if (step == null) {
            step = exchange.getFromRouteId();
        }
        int redeliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        LastCall last = exchange.getProperty(LAST_CALL, LastCall.class);
        // a redelivery: the same step failed just before and Camel's counter moved on by one
        boolean redelivery = last != null && last.failed() && redeliveries == last.redeliveries() + 1
                && step != null && step.equals(last.step());
        JobRun run = exchange.getProperty(JobCoordinator.RUN_PROPERTY, JobRun.class);
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        String url = endpoint.getHttpUri() == null ? endpoint.getEndpointBaseUri()
                : endpoint.getHttpUri().toString();
        if (query != null && !query.isEmpty()) {
            url = (url.contains("?") ? url.substring(0, url.indexOf('?')) : url) + "?" + query;
        }
        LedgerCall.Context context = new LedgerCall.Context(exchange.getProperty(PAIR, String.class),
                run == null ? null : run.id(), run == null ? null : run.jobType(), stage(step), step,
                exchange.getProperty(PAGE, Integer.class), redelivery ? redeliveries + 1 : 1,
                method != null ? method : endpoint.getHttpMethod() != null ? endpoint.getHttpMethod().name() : "GET",
                url);
        LedgerCall call = new LedgerCall(context, safe, this::finished);
        calls.put(call.requestId.toString(), call);
        exchange.getIn().setHeader(REQUEST_ID, call.requestId.toString());
        exchange.setProperty(LAST_CALL, new LastCall(step, redeliveries, false));
    }

    private void sent(Exchange exchange, long millis) {
        Object id = exchange.getIn().removeHeader(REQUEST_ID);
        if (exchange.getMessage() != exchange.getIn()) {
            exchange.getMessage().removeHeader(REQUEST_ID);
        }
        LedgerCall call = id == null ? null : calls.get(id.toString());
        if (call == null) {
            return;
        }
        Exception e = exchange.getException();
        // without an exception the answer's code is fresh on the message; with one, only a failed answer has a code
        Integer status = e == null ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        for (Throwable t = e; t != null && status == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException failed) {
                status = failed.getStatusCode();
            }
        }
        LastCall last = exchange.getProperty(LAST_CALL, LastCall.class);
        if (last != null && e != null) {
            exchange.setProperty(LAST_CALL, new LastCall(last.step(), last.redeliveries(), true));
        }
        call.exchangeDone(millis, status, e == null ? null : e.getClass().getName());
    }

    private void finished(LedgerCall call) {
        calls.remove(call.requestId.toString());
        writer.add(call.row());
    }

    /** Calls whose exchange ended long ago but whose answer body was never closed are written as they are. */
    void sweep(long olderThanNanos) {
        long now = System.nanoTime();
        calls.values().stream().filter(c -> c.exchangeDone() && now - c.startNanos > olderThanNanos)
                .forEach(LedgerCall::emit);
    }

    /** Shutdown: every call still open is written with what is known. */
    void emitAll() {
        calls.values().forEach(LedgerCall::emit);
    }

    @Override
    protected void doStart() throws Exception {
        writer.start();
    }

    @Override
    protected void doStop() throws Exception {
        emitAll();
        writer.close();
    }

    /** The stage of a step id {@code <stage>.<action>}. */
    static String stage(String step) {
        if (step == null) {
            return null;
        }
        int dot = step.indexOf('.');
        return dot < 0 ? step : step.substring(0, dot);
    }
}
