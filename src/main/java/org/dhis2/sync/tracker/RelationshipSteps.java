package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route steps of a tracker stage's relationship pass (routes/tracker.camel.yaml, routes/events.camel.yaml),
 * after every page of the stage's objects is settled: read which relationships of the changed objects are live on
 * the local server, queue and send pages of relationships (through the stage's send route, judged by
 * {@link RelationshipPages}), then add the pass's figures to the run. The state is the run's {@link TrackerPass}.
 */
public final class RelationshipSteps {

    private static final Logger LOG = LoggerFactory.getLogger(RelationshipSteps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrackerBookkeeping books;
    private final int pageSize;
    private final String stage;

    RelationshipSteps(TrackerBookkeeping books, int pageSize, String stage) {
        this.books = books;
        this.pageSize = pageSize;
        this.stage = stage;
    }

    /** Start of the pass: the bookkeeping of the relationships read, and the objects to check. */
    public void planChecks(Exchange exchange) {
        TrackerExchange.pass(exchange).relationships.planChecks(books);
    }

    /** Another object whose live relationships must be read from the local server. */
    public boolean hasCheck(Exchange exchange) {
        return TrackerExchange.pass(exchange).relationships.hasCheck();
    }

    /** Before GET /api/tracker/relationships of the local instance: the query of the next object. */
    public void prepareCheck(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        TrackerExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, pass.relationships.nextCheckQuery());
    }

    /** After GET /api/tracker/relationships: the object's live relationships. */
    public void readCheck(Exchange exchange) throws Exception {
        TrackerExchange.pass(exchange).relationships
                .readCheck(JSON.readTree(exchange.getMessage().getBody(String.class)));
        TrackerExchange.clearForCall(exchange);
    }

    /** The live relationships of an object could not be read: they wait for the next run. */
    public void checkFailed(Exchange exchange) {
        String reason = TrackerExchange.caught(exchange);
        LOG.warn("{}: reading the relationships of an object failed: {}", stage, reason);
        TrackerPass pass = TrackerExchange.pass(exchange);
        pass.relationships.checkFailed(pass);
    }

    /** After the checks: queues (and marks) what needs sending. */
    public void select(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        pass.relationships.select(pass, books);
    }

    /** Relationships left to send. */
    public boolean hasQueued(Exchange exchange) {
        return TrackerExchange.pass(exchange).relationships.pages.hasQueued();
    }

    /** Queues the next page of relationships in the stage's batch. */
    public void queuePage(Exchange exchange) throws Exception {
        TrackerPass pass = TrackerExchange.pass(exchange);
        pass.relationships.pages.queuePage(pass, pageSize);
    }

    /** End of the pass: its own figures in the run's summary and metrics. */
    public void done(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        pass.relationships.finish(pass);
    }
}
