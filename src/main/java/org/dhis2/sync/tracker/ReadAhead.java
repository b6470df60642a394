package org.dhis2.sync.tracker;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.tracker.TrackerPass.Page;

/**
 * Latency hiding in the tracker stages: a full batch of pages is sent in the background while the next export page
 * is read, one batch ahead at most (the batch before must be settled before the next goes). The rules stay exact:
 * an object is in one page per run ({@code TrackerPass.processed} is only touched by the reading thread), a page's
 * deletions still go before its upserts, the relationship pass starts only when every tracked entity page has
 * settled, and the window closes after the last batch. Concurrent requests to central stay bounded by
 * {@code central.maxConcurrentRequests} (load/CentralLoad), reads go to the local instance.
 */
final class ReadAhead {

    /** Exchange variables of a batch sent in the background: its pages, and the read stages it completes. */
    static final String PAGES = "trackerBatchPages";
    static final String STAGES = "trackerBatchStages";

    private ReadAhead() {
    }

    /** Waits for the batch in flight (if any), then sends {@code pages} in the background. */
    static void send(Exchange exchange, TrackerPass pass, List<Page> pages, ProducerTemplate template, String uri)
            throws Exception {
        await(pass);
        List<JobProgress.Stage> stages = List.copyOf(pass.readStages);
        pass.readStages.clear();
        // a fresh exchange with the run's properties and variables (a copy would carry the reading route's state)
        Exchange batch = exchange.getContext().getEndpoint(uri).createExchange();
        batch.getProperties().putAll(exchange.getProperties());
        batch.getVariables().putAll(exchange.getVariables());
        batch.setVariable(PAGES, pages);
        batch.setVariable(STAGES, stages);
        pass.inFlight = template.asyncSend(uri, batch);
    }

    /** Waits until the batch in flight is settled; its failure (beyond a page's) fails the stage as before. */
    static void await(TrackerPass pass) throws Exception {
        Future<Exchange> sent = pass.inFlight;
        pass.inFlight = null;
        if (sent == null) {
            return;
        }
        Exchange done;
        try {
            done = sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (done.getException() != null) {
            throw done.getException();
        }
    }
}
