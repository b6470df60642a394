package org.dhis2.sync.tracker;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.tracker.TrackerPass.Page;

/**
 * The batch of a tracker stage: pages read but not yet sent, sent together (in parallel) when {@code parallelism}
 * pages are queued or reading is over, the full ones in the background while the next page is read
 * ({@link ReadAhead}).
 */
final class TrackerBatches {

    private final int parallelism;
    /** The route that sends a batch in the background. */
    private final String sendBatchUri;
    private ProducerTemplate template;

    /** @param parallelism pages sent at once (the size of a batch) */
    TrackerBatches(int parallelism, String sendBatchUri) {
        this.parallelism = parallelism;
        this.sendBatchUri = sendBatchUri;
    }

    /** True when the batch holds as many pages as may be sent at once. */
    boolean batchFull(Exchange exchange) {
        return TrackerExchange.pass(exchange).batch.size() >= parallelism;
    }

    /**
     * The batch is full: it is sent in the background while the next page is read, once the batch before it is
     * settled (latency hiding, {@link ReadAhead}).
     */
    void sendAhead(Exchange exchange) throws Exception {
        TrackerPass pass = TrackerExchange.pass(exchange);
        List<Page> pages = List.copyOf(pass.batch);
        pass.batch.clear();
        ReadAhead.send(exchange, pass, pages, template(exchange), sendBatchUri);
    }

    /** Before the last batch and the relationship pass: the batch sent in the background is settled. */
    void awaitSent(Exchange exchange) throws Exception {
        ReadAhead.await(TrackerExchange.pass(exchange));
    }

    private synchronized ProducerTemplate template(Exchange exchange) {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        return template;
    }

    /** The pages of the batch, to be sent in parallel (split); the batch starts empty again. */
    @SuppressWarnings("unchecked")
    List<Page> takeBatch(Exchange exchange) {
        List<Page> ahead = exchange.getVariable(ReadAhead.PAGES, List.class);
        if (ahead != null) {
            return ahead;
        }
        TrackerPass pass = TrackerExchange.pass(exchange);
        List<Page> pages = List.copyOf(pass.batch);
        pass.batch.clear();
        return pages;
    }

    /** After every page of a batch is settled: the stages whose pages were all read and sent are complete. */
    @SuppressWarnings("unchecked")
    static void batchSettled(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        List<JobProgress.Stage> ahead = exchange.getVariable(ReadAhead.STAGES, List.class);
        for (JobProgress.Stage stage : ahead != null ? ahead : pass.readStages) {
            if (!stage.isComplete()) {
                stage.complete(stage.getItems().size() + " pages");
            }
        }
        if (ahead == null) {
            pass.readStages.clear();
        }
    }
}
