package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.DownloadSettings;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;
import org.dhis2.sync.tracker.TrackerBookkeeping;
import org.dhis2.sync.tracker.TrackerPushStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job TRACKER_DOWNLOAD (routes/tracker-download.camel.yaml): window, programs and paging of the bulk download. Per
 * tracker program of central (sync.download.programs, or all), the tracked entities in the sync user's CAPTURE scope
 * changed in [watermark - overlap, central's clock at the start), oldest change first, sync.download.pageSize per
 * call (keyset on updatedAt) up to sync.download.limit per program. A page that cannot be read is passed over
 * (the next call asks for the page after it) and the program's watermark waits before it; the download of a
 * program ends at the limit or at an empty or short page. Imports: {@link DownloadImportSteps}; by UID and the
 * relationship ends: {@link DownloadFetches}.
 */
public final class TrackerDownloadStage {

    public static final String STAGE = "trackerDownload";
    static final String WATERMARK_PREFIX = "download.";
    private static final int MAX_FAILED_READS_IN_A_ROW = 3;
    private static final Logger LOG = LoggerFactory.getLogger(TrackerDownloadStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrackerBookkeeping books;
    private final DownloadSettings settings;
    private final Duration overlap;
    private final DownloadImportSteps importSteps;
    private final DownloadFetches fetches;
    private final DownloadRelationships relationships;

    public TrackerDownloadStage(DataSource dataSource, String syncPair, DownloadSettings settings, Duration overlap,
                                Instant skipChangedBefore) {
        this.books = new TrackerBookkeeping(dataSource, syncPair);
        this.settings = settings;
        this.overlap = overlap;
        DownloadBookkeeping records = new DownloadBookkeeping(dataSource, syncPair);
        this.importSteps = new DownloadImportSteps(books, records, new PendingWork(skipChangedBefore));
        this.fetches = new DownloadFetches(records, settings);
        this.relationships = new DownloadRelationships(settings.pageSize(), records);
    }

    /** Route steps of relationships and their ends (bean downloadRelationships). */
    public DownloadRelationships relationships() {
        return relationships;
    }

    /** Route steps of an import batch (bean downloadImport). */
    public DownloadImportSteps importSteps() {
        return importSteps;
    }

    /** Route steps of fetching by UID, overrides and relationship ends (bean downloadFetches). */
    public DownloadFetches fetches() {
        return fetches;
    }

    /** After GET /api/system/info of central: the window's end on central's clock, central's version. */
    public void openWindow(Exchange exchange) throws Exception {
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + STAGE);
        JsonNode info = JSON.readTree(exchange.getMessage().getBody(String.class));
        Instant upper = TrackerPushStage.parseTime(info.path("serverDate").asText(null));
        if (upper == null) {
            throw new IllegalStateException("the central DHIS2 did not report its serverDate");
        }
        DownloadPass pass = new DownloadPass(run, run.progress().startProcess("Tracker data download"), upper,
                DownloadExchange.minor(info));
        DownloadRequest request = exchange.getProperty(DownloadRequest.PROPERTY, DownloadRequest.class);
        if (request != null) {
            pass.byUid = true;
            pass.uidProgram = request.program();
            request.trackedEntities().forEach(uid -> pass.fetchQueue.add(new DownloadPass.Fetch(uid,
                    request.program(), DownloadQuery.FIELDS, true)));
        }
        exchange.setVariable(DownloadPass.VARIABLE, pass);
        DownloadExchange.clearForCall(exchange);
    }

    /** After GET /api/system/info of the local instance: its version (query names). */
    public void localInfo(Exchange exchange) throws Exception {
        DownloadExchange.pass(exchange).localMinor = DownloadExchange.minor(JSON.readTree(
                exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
    }

    /**
     * After GET /api/programs of central: the tracker programs and their access levels. A configured program that is
     * not a tracker program of central fails the stage naming the key; by UID, a CLOSED program is refused.
     */
    public void readPrograms(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        for (JsonNode p : JSON.readTree(exchange.getMessage().getBody(String.class)).path("programs")) {
            if ("WITH_REGISTRATION".equals(p.path("programType").asText())) {
                pass.programs.put(p.path("id").asText(), new DownloadPass.Program(p.path("id").asText(),
                        p.path("accessLevel").asText("OPEN")));
            }
        }
        for (String configured : settings.programs()) {
            if (!pass.programs.containsKey(configured)) {
                throw new IllegalStateException("sync.download.programs: '" + configured
                        + "' is not a tracker program of the central DHIS2");
            }
        }
        if (pass.byUid) {
            fetches.checkRequestedProgram(pass);
        } else {
            for (String uid : settings.programs().isEmpty() ? List.copyOf(pass.programs.keySet())
                    : settings.programs()) {
                Instant watermark = books.watermark(WATERMARK_PREFIX + uid).orElse(null);
                Instant lower = watermark == null ? null : watermark.minus(overlap);
                pass.cursors.add(new DownloadPass.Cursor(pass.programs.get(uid), watermark, lower,
                        settings.pageSize()));
            }
        }
        DownloadExchange.clearForCall(exchange);
    }

    /** After GET /api/trackedEntityAttributes of the local instance: skip-sync attributes (never blanked). */
    public void readAttributes(Exchange exchange) throws Exception {
        DownloadExchange.pass(exchange).skipSync.addAttributes(JSON.readTree(exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
    }

    /** After GET /api/programStages of the local instance: skip-sync data elements (never blanked). */
    public void readProgramStages(Exchange exchange) throws Exception {
        DownloadExchange.pass(exchange).skipSync.addProgramStages(JSON.readTree(exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
    }

    /** Loop condition: another page to read, moving to the next program when one is done. */
    public boolean hasNextPage(Exchange exchange) {
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
    public void preparePage(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, DownloadQuery.page(pass.cursor(), pass.upper,
                pass.centralMinor));
    }

    /** After the export call: moves the cursor and queues the tracked entities not seen yet in this run. */
    public void readPage(Exchange exchange) throws Exception {
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
    private void advance(DownloadPass.Cursor c, ArrayNode items, boolean nothingNew) {
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
    public void readFailed(Exchange exchange) {
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

    /** A failure before paging (availability, system info, programs): nothing is downloaded. */
    public void stageFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "unknown failure" : e.getMessage();
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + STAGE);
        DownloadPass pass = exchange.getVariable(DownloadPass.VARIABLE, DownloadPass.class);
        (pass != null ? pass.process : run.progress().startProcess("Tracker data download")).fail(reason);
        run.recordFailure("Tracker data download failed: " + reason);
        run.recordStage(StageOutcome.of(STAGE, pass == null ? 0 : pass.read, 0, 0, 0,
                pass == null ? Instant.now() : pass.process.getStartedTime(), false));
        LOG.warn("Tracker data download failed: {}", reason);
    }

    /**
     * End of the run: each program's watermark moves to the window's end, or to where the limit stopped the
     * download, but never past a page that failed or an object that did not arrive; the status rule on the figures.
     */
    public void closeWindow(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        for (DownloadPass.Cursor c : pass.cursors) {
            c.nextWatermark(pass.upper).ifPresent(next -> books.advanceWatermark(WATERMARK_PREFIX + c.program.uid(),
                    next));
        }
        for (JobProgress.Stage stage : pass.process.getStages()) {
            if (!stage.isComplete()) { // the fetch and relationship stages end with the run
                stage.complete(stage.getItems().size() + " items");
            }
        }
        String summary = pass.summary();
        if (!pass.skipped.isEmpty()) {
            pass.run.recordNote(pass.skippedList() + ".");
        }
        if (pass.rejected > 0) {
            pass.run.recordFailure(pass.rejected + " objects rejected by the local DHIS2 (conflicts recorded)");
        }
        if (pass.notArrived > 0) {
            pass.run.recordFailure(pass.notArrived + " objects did not arrive (downloaded again next run)");
        }
        if (pass.run.failures().isEmpty()) {
            pass.process.complete(summary);
        } else {
            pass.process.fail(summary);
        }
        pass.run.recordStage(StageOutcome.of(STAGE, pass.offered, pass.imported + pass.warnings + pass.rejected,
                pass.rejected, pass.pagesFailed, pass.process.getStartedTime(), pass.run.failures().isEmpty()));
        LOG.info("Tracker data download: {}", summary);
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
