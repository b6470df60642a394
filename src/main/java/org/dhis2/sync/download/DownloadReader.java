package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.DownloadSettings;
import org.dhis2.sync.job.JobProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paging through central's export, program by program, with a keyset cursor on updatedAt: the next call, the
 * tracked entities a page brings that this run has not seen yet (queued as a batch to import), the limit per
 * program, and pages that cannot be read.
 */
final class DownloadReader {

    private static final String STAGE = TrackerDownloadStage.STAGE;
    private static final int MAX_FAILED_READS_IN_A_ROW = 3;
    // the stage's logger: its lines keep the name they always had
    private static final Logger LOG = LoggerFactory.getLogger(TrackerDownloadStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DownloadSettings settings;

    DownloadReader(DownloadSettings settings) {
        this.settings = settings;
    }

    /** Loop condition: another page to read, moving to the next program when one is done. */
    boolean hasNextPage(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadPass.Cursor c = pass.cursor();
        if (pass.run.stopRequested()) {
            if (c != null && !c.done) {
                c.hold(c.at);
                c.done = true;
                LOG.info("{}: stopped by the engine's shutdown; the rest is read next run", STAGE);
            }
            return false;
        }
        while (c == null || c.done) {
            if (c != null) {
                c.stage.complete(c.pageNumber + " pages, " + c.read + " tracked entities read"
                        + (c.limitReached ? " (limit " + settings.limit() + " reached)" : ""));
            }
            pass.cursorIndex++;
            c = pass.cursor();
            if (c == null) {
                return false;
            }
            c.stage = pass.process.startStage("Downloading tracked entities of program " + c.program.uid(), 0,
                    JobProgress.FailurePolicy.SKIP_ITEM);
        }
        return true;
    }

    /** Before the export call on central. */
    void preparePage(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, DownloadQuery.page(pass.cursor(), pass.upper,
                pass.centralMinor));
    }

    /** After the export call: moves the cursor and queues the tracked entities not seen yet in this run. */
    void readPage(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadPass.Cursor c = pass.cursor();
        ArrayNode items = items(JSON.readTree(exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
        c.pageNumber++;
        c.failedReadsInARow = 0;
        List<ObjectNode> fresh = new ArrayList<>();
        for (JsonNode item : items) {
            String uid = item.path("trackedEntity").asText();
            if (item instanceof ObjectNode o && !c.seenAtCursor.contains(uid) && !pass.downloaded.contains(uid)
                    && c.read < settings.limit()) {
                fresh.add(o);
                c.read++;
            }
        }
        advance(c, items, fresh.isEmpty());
        if (c.read >= settings.limit()) {
            // the rest waits for the next run: the window ends at the last tracked entity taken
            c.limitReached = true;
            c.done = true;
            c.at = fresh.isEmpty() ? c.at : DownloadImportSteps.time(fresh.get(fresh.size() - 1));
        }
        pass.read += fresh.size();
        if (!fresh.isEmpty()) {
            pass.batches.add(new DownloadBatch(DownloadBatch.Kind.TRACKED_ENTITIES, "page " + c.pageNumber
                    + " of program " + c.program.uid(), c, fresh, c.stage.startItem("Page " + c.pageNumber + ": "
                    + fresh.size() + " tracked entities read")));
        }
    }

    /**
     * Keyset: the next call starts at the newest updatedAt read, skipping the objects read at that time. The
     * program is done when a call returns nothing new: a short page is not the end, because DHIS2 2.42 drops what
     * ownership denies after paging (DL-5), so its pages can come short.
     */
    void advance(DownloadPass.Cursor c, ArrayNode items, boolean nothingNew) {
        int asked = c.requestSize;
        c.skip = 0;
        if (items.isEmpty() || nothingNew && items.size() < asked) {
            c.done = true;
            return;
        }
        Instant last = DownloadImportSteps.time(items.get(items.size() - 1));
        if (last == null || last.equals(c.at)) {
            c.requestSize = asked * 2; // a whole page at one time: ask for more at once instead of moving on
        } else {
            c.requestSize = settings.pageSize();
            c.at = last;
            c.seenAtCursor.clear();
        }
        for (JsonNode item : items) {
            if (last != null && last.equals(DownloadImportSteps.time(item))) {
                c.seenAtCursor.add(item.path("trackedEntity").asText());
            }
        }
    }

    /**
     * A page of central could not be read (retries exhausted, unreadable answer): recorded, the watermark waits at
     * the cursor, and the next call asks for the page after it; after three such pages in a row the program waits
     * for the next run.
     */
    void readFailed(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadPass.Cursor c = pass.cursor();
        String reason = DownloadExchange.caught(exchange);
        c.hold(c.at);
        c.pageNumber++;
        c.skip++;
        pass.pagesFailed++;
        c.stage.startItem("Page " + c.pageNumber).fail("Reading the page from central failed: " + reason);
        pass.run.recordFailure("tracker download: page " + c.pageNumber + " of program " + c.program.uid()
                + " could not be read from central: " + reason);
        LOG.warn("{}: page {} of program {} could not be read: {}", STAGE, c.pageNumber, c.program.uid(), reason);
        if (++c.failedReadsInARow >= MAX_FAILED_READS_IN_A_ROW) {
            c.done = true;
        }
    }

    private static ArrayNode items(JsonNode page) {
        for (String key : new String[] {"trackedEntities", "instances"}) {
            if (page.path(key).isArray()) {
                return (ArrayNode) page.path(key);
            }
        }
        throw new IllegalStateException("central's export has no tracked entity list");
    }
}
