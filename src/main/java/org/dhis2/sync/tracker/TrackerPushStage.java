package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.tracker.TrackerPass.Page;

/**
 * The steps of a tracker push stage (routes/events.camel.yaml, routes/tracker.camel.yaml): open the window from
 * the local server's clock ({@link TrackerWindow}), read the programs or types and skip-sync fields
 * ({@link TrackerScopes}), page through the local export with a keyset cursor on updatedAt ({@link TrackerReader}),
 * keep only objects changed since they were last settled and build their payloads ({@link TrackerSelection},
 * {@link TrackerPayloads}), send pages in batches ({@link TrackerBatches}, {@link TrackerPageImports}), record
 * central's verdicts per object ({@link TrackerPageSettlement}), and move the watermark only past settled objects.
 * This class is the route files' bean: it holds the stage's settings and hands each step to its part.
 */
public final class TrackerPushStage {

    /** Which tracker stage: anonymous events of event programs, or tracked entities with everything nested. */
    public enum Mode {
        EVENTS("events", "events", "Event programs data synchronization", "events", "WITHOUT_REGISTRATION",
                "*,relationships[*]"),
        TRACKED_ENTITIES("tracker", "trackedEntities", "Tracker programs data synchronization", "tracked entities",
                "WITH_REGISTRATION", "*,enrollments[*,events[*]],relationships[*],!programOwners");

        final String stage;
        /** The stage label of the metrics. */
        final String metric;
        final String description;
        final String noun;
        final String programType;
        final String fields;

        Mode(String stage, String metric, String description, String noun, String programType, String fields) {
            this.stage = stage;
            this.metric = metric;
            this.description = description;
            this.noun = noun;
            this.programType = programType;
            this.fields = fields;
        }

        String programsKey() {
            return "sync." + stage + ".programs";
        }

        /** The stage's name in stage_watermark. */
        public String stage() {
            return stage;
        }

        /** The kind of object the stage pages through (nested objects travel with it). */
        public TrackerType topType() {
            return this == EVENTS ? TrackerType.EVENT : TrackerType.TRACKED_ENTITY;
        }
    }

    /** The exchange variable holding the page a split branch sends. */
    public static final String PAGE = "trackerPage";

    private final Mode mode;
    private final TrackerBookkeeping books;
    private final int pageSize;
    private final boolean programsConfigured;
    private final AdaptivePageSizes pageSizes;
    private final TrackerWindow window;
    private final TrackerScopes scopes;
    private final TrackerReader reader;
    private final TrackerSelection selection;
    private final TrackerBatches batches;
    private final TrackerPageSettlement settlement;

    /**
     * @param parallelism   pages sent at once (the size of a batch)
     * @param programs      configured programs; empty = discovered (event programs, or tracked entity types)
     * @param windowOverlap how far a window reaches back before the watermark (sync.window.overlapSeconds)
     */
    public TrackerPushStage(Mode mode, TrackerBookkeeping books, int pageSize, int parallelism,
                            List<String> programs, Instant skipChangedBefore, Duration windowOverlap,
                            AdaptivePageSizes pageSizes, int minPageSize) {
        List<String> configured = List.copyOf(programs);
        this.mode = mode;
        this.books = books;
        this.pageSize = pageSize;
        this.programsConfigured = !configured.isEmpty();
        this.pageSizes = pageSizes;
        this.window = new TrackerWindow(mode, books, skipChangedBefore, windowOverlap, pageSizes, pageSize,
                minPageSize);
        this.scopes = new TrackerScopes(mode, configured);
        this.reader = new TrackerReader(mode, pageSize, parallelism);
        this.selection = new TrackerSelection(mode, books, reader, new TrackerPayloads(configured), pageSizes,
                pageSize);
        this.batches = new TrackerBatches(parallelism, "direct:" + books.pair() + "."
                + (mode == Mode.EVENTS ? "events" : "tracker") + ".sendBatch");
        this.settlement = new TrackerPageSettlement(mode, books, pageSizes);
    }

    public static TrackerPushStage events(DataSource dataSource, String pair, SyncSettings settings,
                                          AdaptivePageSizes sizes) {
        return new TrackerPushStage(Mode.EVENTS, new TrackerBookkeeping(dataSource, pair),
                settings.eventsPageSize(), settings.eventsParallelism(), settings.eventsPrograms(),
                settings.skipChangedBefore().orElse(null), settings.windowOverlap(), sizes,
                settings.load().trackerMinPageSize());
    }

    public static TrackerPushStage trackedEntities(DataSource dataSource, String pair, SyncSettings settings,
                                                   AdaptivePageSizes sizes) {
        return new TrackerPushStage(Mode.TRACKED_ENTITIES, new TrackerBookkeeping(dataSource, pair),
                settings.trackerPageSize(), settings.trackerParallelism(), settings.trackerPrograms(),
                settings.skipChangedBefore().orElse(null), settings.windowOverlap(), sizes,
                settings.load().trackerMinPageSize());
    }

    public TrackerBookkeeping bookkeeping() {
        return books;
    }

    /** The route steps of the stage's relationship pass (bean {@code trackerRelationships} / {@code eventRelationships}). */
    public RelationshipSteps relationshipSteps() {
        return new RelationshipSteps(books, pageSize, mode.stage);
    }

    // ---------------------------------------------------------------- window and scopes (TrackerWindow, TrackerScopes)

    public void openWindow(Exchange exchange) throws Exception {
        window.open(exchange, programsConfigured);
    }

    public void readPrograms(Exchange exchange) throws Exception {
        scopes.readPrograms(exchange);
    }

    public void readProgramStages(Exchange exchange) throws Exception {
        scopes.readProgramStages(exchange);
    }

    public void readAttributes(Exchange exchange) throws Exception {
        scopes.readAttributes(exchange);
    }

    public void readTrackedEntityTypes(Exchange exchange) throws Exception {
        scopes.readTrackedEntityTypes(exchange);
    }

    public void stageFailed(Exchange exchange) {
        window.stageFailed(exchange);
    }

    public void closeWindow(Exchange exchange) {
        window.close(exchange);
    }

    // ---------------------------------------------------------------- paging (TrackerReader, TrackerSelection)

    public boolean hasNextPage(Exchange exchange) {
        return reader.hasNextPage(exchange);
    }

    public void prepareRead(Exchange exchange) {
        reader.prepareRead(exchange);
    }

    public void selectPage(Exchange exchange) throws Exception {
        selection.selectPage(exchange);
    }

    public void readFailed(Exchange exchange) {
        reader.readFailed(exchange);
    }

    // ---------------------------------------------------------------- batches (TrackerBatches)

    public boolean batchFull(Exchange exchange) {
        return batches.batchFull(exchange);
    }

    public void sendAhead(Exchange exchange) throws Exception {
        batches.sendAhead(exchange);
    }

    public void awaitSent(Exchange exchange) throws Exception {
        batches.awaitSent(exchange);
    }

    public List<Page> takeBatch(Exchange exchange) {
        return batches.takeBatch(exchange);
    }

    public void batchSettled(Exchange exchange) {
        TrackerBatches.batchSettled(exchange);
    }

    // ---------------------------------------------------------------- one page (imports, split, settlement)

    public void beginPage(Exchange exchange) {
        TrackerPageImports.beginPage(exchange);
    }

    public boolean hasDeletes(Exchange exchange) {
        return TrackerExchange.page(exchange).deletes != null;
    }

    public boolean hasUpserts(Exchange exchange) {
        return TrackerExchange.page(exchange).upserts != null;
    }

    public void prepareSend(Exchange exchange, boolean deletes) {
        TrackerPageImports.prepareSend(exchange, deletes);
    }

    /** After the DELETE import: the report per object (200 or 409 carry one; anything else fails the page). */
    public void judgeDeletes(Exchange exchange) throws Exception {
        TrackerExchange.page(exchange).deleteJudge = TrackerPageImports.judge(exchange, true);
    }

    /** After the CREATE_AND_UPDATE import. */
    public void judgeUpserts(Exchange exchange) throws Exception {
        TrackerExchange.page(exchange).upsertJudge = TrackerPageImports.judge(exchange, false);
    }

    /** The page failed as too large for central and holds more than sync.adaptive.tracker.minPageSize objects. */
    public boolean splits(Exchange exchange) {
        return TrackerPageSplit.splits(exchange, TrackerExchange.page(exchange), pageSizes, mode.stage);
    }

    /** Its two halves, each sent and judged like a page (split route of tracker.sendPage / events.sendPage). */
    public List<Page> halves(Exchange exchange) {
        return TrackerPageSplit.halves(exchange, TrackerExchange.page(exchange), pageSizes, mode.stage);
    }

    public void settlePage(Exchange exchange) {
        settlement.settlePage(exchange);
    }

    public void pageFailed(Exchange exchange) {
        settlement.pageFailed(exchange);
    }

    // ---------------------------------------------------------------- helpers (also used by other packages)

    public static String caught(Exchange exchange) {
        return TrackerExchange.caught(exchange);
    }

    public static void clearForCall(Exchange exchange) {
        TrackerExchange.clearForCall(exchange);
    }

    /** The {@code serverDate} of a {@code /api/system/info} answer; {@code which} names the instance in the error. */
    public static Instant serverDate(JsonNode info, String which) {
        Instant t = parseTime(info.path("serverDate").asText(null));
        if (t == null) {
            throw new IllegalStateException("the " + which + " DHIS2 did not report its serverDate");
        }
        return t;
    }

    /** DHIS2 tracker times are the server's local time without offset; read them as UTC, like the watermark. */
    public static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }
}
