package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.tracker.TrackerPushStage.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paging through the local export, one program (or tracked entity type) after the other, with a keyset cursor on
 * updatedAt (never offsets, so objects that change meanwhile are not skipped: they leave the window and come with
 * the next run).
 */
final class TrackerReader {

    // the stage's logger: its lines keep the name they always had
    private static final Logger LOG = LoggerFactory.getLogger(TrackerPushStage.class);

    private final Mode mode;
    private final int pageSize;
    private final int parallelism;

    TrackerReader(Mode mode, int pageSize, int parallelism) {
        this.mode = mode;
        this.pageSize = pageSize;
        this.parallelism = parallelism;
    }

    /** Loop condition: another page to read (moving to the next program or type when one is done). */
    boolean hasNextPage(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        if (pass.run.stopRequested() && !(pass.scopeDone && pass.scopeIndex + 1 >= pass.scopes.size())) {
            // the engine shuts down: no new page; what was not read waits, the window stays where it was
            pass.unsettledAt(pass.previousWatermark);
            pass.scopeDone = true;
            if (pass.stage != null && !pass.stage.isComplete()) {
                pass.readStages.add(pass.stage);
            }
            pass.scopeIndex = pass.scopes.size();
            LOG.info("{}: stopped by {}; the rest is read next run", mode.stage, pass.run.stopCause());
            return false;
        }
        while (pass.scopeDone) {
            if (pass.stage != null) {
                pass.readStages.add(pass.stage); // completed when its pages are settled
            }
            pass.scopeIndex++;
            if (pass.scopeIndex >= pass.scopes.size()) {
                return false;
            }
            pass.scopeDone = false;
            pass.cursor = pass.lower;
            pass.seenAtCursor.clear();
            pass.requestSize = readSize();
            pass.pageNumber = 0;
            pass.stage = pass.process.startStage("Synchronizing " + mode.noun + " of " + pass.scopeParam + " "
                    + pass.scopes.get(pass.scopeIndex), 0, JobProgress.FailurePolicy.SKIP_ITEM);
        }
        return true;
    }

    /** Before the export call: the query of the next page (keyset on updatedAt, always page 1). */
    void prepareRead(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        TrackerExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, TrackerReadQuery.page(pass, mode.fields));
    }

    /** After the export call: the page's objects; the cursor moves past them. */
    ArrayNode read(TrackerPass pass, JsonNode body) {
        ArrayNode items = items(body);
        advanceCursor(pass, items);
        return items;
    }

    /**
     * The local export could not be read (retries exhausted, unreadable answer): the rest of this program / type
     * waits for the next run, and the watermark stays at or before the cursor.
     */
    void readFailed(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        String reason = TrackerExchange.caught(exchange);
        // not before the previous watermark: the overlap before it is read again anyway, and a stage whose reads
        // keep failing must not move its window back by one overlap per run
        Instant at = pass.cursor;
        if (at == null || (pass.previousWatermark != null && at.isBefore(pass.previousWatermark))) {
            at = pass.previousWatermark;
        }
        pass.unsettledAt(at);
        pass.readFailed();
        pass.scopeDone = true;
        if (pass.stage != null) {
            pass.stage.fail("Reading the local export failed: " + reason);
        }
        pass.run.recordFailure(mode.noun + ": reading page failed: " + reason);
        LOG.warn("{}: reading a page failed: {}", mode.stage, reason);
    }

    /**
     * Objects per export call: a whole batch (pageSize x parallelism), so the reads, which go one after the other,
     * cost one round trip per batch instead of one per page.
     */
    private int readSize() {
        return pageSize * parallelism;
    }

    /** Keyset paging: the next request starts at the newest updatedAt of this page, skipping what was seen there. */
    private void advanceCursor(TrackerPass pass, ArrayNode items) {
        if (items.size() < pass.requestSize) {
            pass.scopeDone = true;
            return;
        }
        Instant last = TrackerPushStage.parseTime(items.get(items.size() - 1).path("updatedAt").asText(null));
        if (last == null || last.equals(pass.cursor)) {
            // a whole page at one timestamp: ask for more at once instead of moving on
            pass.requestSize *= 2;
        } else {
            pass.requestSize = readSize();
        }
        if (last != null && !last.equals(pass.cursor)) {
            pass.cursor = last;
            pass.seenAtCursor.clear();
        }
        for (JsonNode item : items) {
            if (last != null && last.equals(TrackerPushStage.parseTime(item.path("updatedAt").asText(null)))) {
                pass.seenAtCursor.add(item.path(mode.topType().idField()).asText());
            }
        }
    }

    private ArrayNode items(JsonNode page) {
        for (String key : new String[] {mode == Mode.EVENTS ? "events" : "trackedEntities", "instances"}) {
            if (page.path(key).isArray()) {
                return (ArrayNode) page.path(key);
            }
        }
        throw new IllegalStateException("the local export has no " + mode.noun + " list");
    }
}
