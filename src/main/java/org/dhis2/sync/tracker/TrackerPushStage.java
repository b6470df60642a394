package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.job.StageOutcome;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.dhis2.sync.tracker.TrackerPass.Page;
import org.dhis2.sync.tracker.TrackerPass.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a tracker push stage (routes/events.camel.yaml, routes/tracker.camel.yaml): open the window from
 * the local server's clock, page through the local export with a keyset cursor on updatedAt (never offsets, so
 * objects that change meanwhile are not skipped: they leave the window and come with the next run), keep only
 * objects changed since they were last settled, strip skip-sync values, split deletions from the rest, judge
 * central's ImportReports per object and record the states, and move the watermark only past settled objects.
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
    private static final Logger LOG = LoggerFactory.getLogger(TrackerPushStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mode mode;
    private final TrackerBookkeeping books;
    private final int pageSize;
    private final int parallelism;
    private final List<String> programs;
    private final Instant skipChangedBefore;
    private final Duration windowOverlap;
    private final AdaptivePageSizes pageSizes;
    private final int minPageSize;
    private org.apache.camel.ProducerTemplate template;

    /**
     * @param parallelism   pages sent at once (the size of a batch)
     * @param programs      configured programs; empty = discovered (event programs, or tracked entity types)
     * @param windowOverlap how far a window reaches back before the watermark (sync.window.overlapSeconds)
     */
    public TrackerPushStage(Mode mode, TrackerBookkeeping books, int pageSize, int parallelism,
                            List<String> programs, Instant skipChangedBefore, Duration windowOverlap,
                            AdaptivePageSizes pageSizes, int minPageSize) {
        this.pageSizes = pageSizes;
        this.minPageSize = minPageSize;
        this.mode = mode;
        this.books = books;
        this.pageSize = pageSize;
        this.parallelism = parallelism;
        this.programs = List.copyOf(programs);
        this.skipChangedBefore = skipChangedBefore;
        this.windowOverlap = windowOverlap;
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

    // ---------------------------------------------------------------- window and scopes

    /**
     * After GET /api/system/info of the local instance: the window [watermark - overlap, serverDate], the local
     * version (the export's scope parameter), the progress process.
     */
    public void openWindow(Exchange exchange) throws Exception {
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + mode.stage);
        JsonNode info = JSON.readTree(exchange.getMessage().getBody(String.class));
        Instant upper = parseTime(info.path("serverDate").asText(null));
        if (upper == null) {
            throw new IllegalStateException("the local DHIS2 did not report its serverDate");
        }
        Instant watermark = books.watermark(mode.stage).orElse(null);
        Instant lower = TrackerReadQuery.windowStart(watermark, windowOverlap, skipChangedBefore);
        JobProgress.Process process = run.progress().startProcess(mode.description);
        TrackerPass pass = new TrackerPass(run, process, lower, upper, SkipSyncFields.none());
        pass.previousWatermark = watermark;
        pass.localMinor = TrackerReadQuery.minorVersion(info.path("version").asText(null));
        pass.scopeParam = mode == Mode.EVENTS || !programs.isEmpty() ? "program" : "trackedEntityType";
        pageSizes.startRun(mode.stage, pageSize, minPageSize);
        exchange.setVariable(TrackerPass.VARIABLE, pass);
        LOG.info("{}: window {} .. {} (local server clock)", mode.stage, lower == null ? "beginning" : lower, upper);
        clearForCall(exchange);
    }

    /**
     * After GET /api/programs of the local instance: skip-sync attributes, and the programs to read: the configured
     * ones (each must be a local program of the stage's type, else the stage fails naming the key, before anything
     * is sent) or, for events, every event program.
     */
    public void readPrograms(Exchange exchange) throws Exception {
        TrackerPass pass = pass(exchange);
        JsonNode list = JSON.readTree(exchange.getMessage().getBody(String.class));
        pass.skipSync.addPrograms(list);
        List<String> ofType = new ArrayList<>();
        for (JsonNode p : list.path("programs")) {
            if (mode.programType.equals(p.path("programType").asText())) {
                ofType.add(p.path("id").asText());
            }
        }
        for (String configured : programs) {
            if (!ofType.contains(configured)) {
                throw new IllegalStateException(mode.programsKey() + ": '" + configured + "' is not "
                        + (mode == Mode.EVENTS ? "an event program" : "a tracker program") + " of the local DHIS2");
            }
        }
        pass.scopes.addAll(!programs.isEmpty() ? programs : mode == Mode.EVENTS ? ofType : List.of());
        clearForCall(exchange);
    }

    /** After GET /api/programStages of the local instance: skip-sync data elements per stage. */
    public void readProgramStages(Exchange exchange) throws Exception {
        pass(exchange).skipSync.addProgramStages(JSON.readTree(exchange.getMessage().getBody(String.class)));
        clearForCall(exchange);
    }

    /** After GET /api/trackedEntityAttributes of the local instance (tracker stage): skip-sync attributes. */
    public void readAttributes(Exchange exchange) throws Exception {
        pass(exchange).skipSync.addAttributes(JSON.readTree(exchange.getMessage().getBody(String.class)));
        clearForCall(exchange);
    }

    /** After GET /api/trackedEntityTypes (tracker stage): every type is read in turn, unless programs are configured. */
    public void readTrackedEntityTypes(Exchange exchange) throws Exception {
        TrackerPass pass = pass(exchange);
        if (!programs.isEmpty()) {
            clearForCall(exchange);
            return;
        }
        for (JsonNode t : JSON.readTree(exchange.getMessage().getBody(String.class)).path("trackedEntityTypes")) {
            pass.scopes.add(t.path("id").asText());
        }
        clearForCall(exchange);
    }

    // ---------------------------------------------------------------- paging

    /** Loop condition: another page to read (moving to the next program or type when one is done). */
    public boolean hasNextPage(Exchange exchange) {
        TrackerPass pass = pass(exchange);
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
    public void prepareRead(Exchange exchange) {
        TrackerPass pass = pass(exchange);
        clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, TrackerReadQuery.page(pass, mode.fields));
    }

    /**
     * After the export call: moves the cursor, keeps the objects that need sending, marks them TO_POST / TO_UPDATE /
     * TO_DELETE, and queues a page with its DELETE and CREATE_AND_UPDATE payloads in the batch (when there is
     * anything to send).
     */
    public void selectPage(Exchange exchange) throws Exception {
        TrackerPass pass = pass(exchange);
        JsonNode body = JSON.readTree(exchange.getMessage().getBody(String.class));
        ArrayNode items = items(body);
        advanceCursor(pass, items);

        List<ObjectNode> fresh = new ArrayList<>();
        for (JsonNode item : items) {
            if (item instanceof ObjectNode o && pass.processed.add(o.path(idField()).asText())) {
                fresh.add(o);
            }
        }
        Map<String, ItemState> states = books.states(topType(),
                fresh.stream().map(o -> o.path(idField()).asText()).toList());
        List<ObjectNode> toSend = new ArrayList<>();
        for (ObjectNode o : fresh) {
            Member self = member(topType(), o);
            ItemState own = states.get(self.uid());
            boolean changed = needsSending(own, self.updatedAt());
            // sent or not, its relationships are considered: they have their own states
            pass.relationships.collect(o, self, changed, own != null && own.resendRequested());
            if (changed) {
                toSend.add(o);
            }
        }
        clearForCall(exchange);
        if (toSend.isEmpty()) {
            return;
        }
        // one read holds up to parallelism send pages: cut it into pages of pageSize objects
        // (of the size central accepts: sync.adaptive.*)
        int size = pageSizes.current(mode.stage, pageSize);
        List<PagePayload> pages = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        for (int from = 0; from < toSend.size(); from += size) {
            PagePayload page = new PagePayload();
            for (ObjectNode o : toSend.subList(from, Math.min(toSend.size(), from + size))) {
                Member self = member(topType(), o);
                TrackerPageSplit.Part part = new TrackerPageSplit.Part();
                page.units.add(mode == Mode.EVENTS ? addEvent(pass, o, self, part.deletes(), part.upserts())
                        : addTrackedEntity(pass, o, self, part.deletes(), part.upserts()));
                page.parts.add(part);
            }
            units.addAll(page.units);
            pages.add(page);
        }
        List<Settlement> sending = new ArrayList<>();
        Map<TrackerType, Map<String, ItemState>> known = new java.util.EnumMap<>(TrackerType.class);
        for (Unit u : units) {
            for (Member m : all(u)) {
                ItemState s = m == u.self() ? states.get(m.uid()) : known.computeIfAbsent(m.type(),
                        t -> books.states(t, units.stream().flatMap(x -> x.members().stream())
                                .filter(x -> x.type() == t).map(Member::uid).toList())).get(m.uid());
                SyncState state = m.deleted() ? SyncState.TO_DELETE
                        : s == null || s.lastSynchronized() == null ? SyncState.TO_POST : SyncState.TO_UPDATE;
                sending.add(new Settlement(m.type(), m.uid(), m.updatedAt(), state, m == u.self(), null,
                        List.of()));
            }
        }
        books.settle(pass.run.id(), sending); // the marks of all pages of this read in one transaction
        for (PagePayload page : pages) {
            pass.sent += page.units.size();
            pass.pageNumber++;
            JobProgress.Item item = pass.stage.startItem("Page " + pass.pageNumber + ": " + page.units.size() + " "
                    + mode.noun + " to send (" + items.size() + " read)");
            pass.batch.add(new Page(pass, pass.pageNumber, pass.scopes.get(pass.scopeIndex), item, pass.stage,
                    page.units, TrackerPageSplit.payload(page.parts, true), TrackerPageSplit.payload(page.parts,
                    false), page.parts));
        }
    }

    /** The payloads of one send page while a read is cut into pages. */
    private static final class PagePayload {
        final List<Unit> units = new ArrayList<>();
        final List<TrackerPageSplit.Part> parts = new ArrayList<>();
    }

    /** The page failed as too large for central and holds more than sync.adaptive.tracker.minPageSize objects. */
    public boolean splits(Exchange exchange) {
        return TrackerPageSplit.splits(exchange, page(exchange), pageSizes, mode.stage);
    }

    /** Its two halves, each sent and judged like a page (split route of tracker.sendPage / events.sendPage). */
    public List<Page> halves(Exchange exchange) {
        return TrackerPageSplit.halves(exchange, page(exchange), pageSizes, mode.stage);
    }

    /** The route steps of the stage's relationship pass (bean {@code trackerRelationships} / {@code eventRelationships}). */
    public RelationshipSteps relationshipSteps() {
        return new RelationshipSteps(books, pageSize, mode.stage);
    }

    /** True when the batch holds as many pages as may be sent at once. */
    public boolean batchFull(Exchange exchange) {
        return pass(exchange).batch.size() >= parallelism;
    }

    /**
     * The batch is full: it is sent in the background while the next page is read, once the batch before it is
     * settled (latency hiding, {@link ReadAhead}).
     */
    public void sendAhead(Exchange exchange) throws Exception {
        TrackerPass pass = pass(exchange);
        List<Page> pages = List.copyOf(pass.batch);
        pass.batch.clear();
        ReadAhead.send(exchange, pass, pages, template(exchange), "direct:" + books.pair() + "."
                + (mode == Mode.EVENTS ? "events" : "tracker") + ".sendBatch");
    }

    /** Before the last batch and the relationship pass: the batch sent in the background is settled. */
    public void awaitSent(Exchange exchange) throws Exception {
        ReadAhead.await(pass(exchange));
    }

    private synchronized org.apache.camel.ProducerTemplate template(Exchange exchange) {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        return template;
    }

    /** The pages of the batch, to be sent in parallel (split); the batch starts empty again. */
    @SuppressWarnings("unchecked")
    public List<Page> takeBatch(Exchange exchange) {
        List<Page> ahead = exchange.getVariable(ReadAhead.PAGES, List.class);
        if (ahead != null) {
            return ahead;
        }
        TrackerPass pass = pass(exchange);
        List<Page> pages = List.copyOf(pass.batch);
        pass.batch.clear();
        return pages;
    }

    /** After every page of a batch is settled: the stages whose pages were all read and sent are complete. */
    @SuppressWarnings("unchecked")
    public void batchSettled(Exchange exchange) {
        TrackerPass pass = pass(exchange);
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

    /** Split branch: the page it sends (its body) goes to the variable {@value #PAGE}. */
    public void beginPage(Exchange exchange) {
        exchange.setVariable(PAGE, exchange.getMessage().getBody(Page.class));
        exchange.setProperty(org.dhis2.sync.ledger.LedgerNotifier.PAGE, page(exchange).number); // request ledger
    }

    public boolean hasDeletes(Exchange exchange) {
        return page(exchange).deletes != null;
    }

    public boolean hasUpserts(Exchange exchange) {
        return page(exchange).upserts != null;
    }

    /** Before a POST to central: the page's DELETE or CREATE_AND_UPDATE payload as body, nothing else. */
    public void prepareSend(Exchange exchange, boolean deletes) {
        Page page = page(exchange);
        clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(deletes ? page.deletes : page.upserts);
    }

    /** After the DELETE import: the report per object (200 or 409 carry one; anything else fails the page). */
    public void judgeDeletes(Exchange exchange) throws Exception {
        page(exchange).deleteJudge = judge(exchange, true);
    }

    /** After the CREATE_AND_UPDATE import. */
    public void judgeUpserts(Exchange exchange) throws Exception {
        page(exchange).upsertJudge = judge(exchange, false);
    }

    private ImportReportJudge judge(Exchange exchange, boolean delete) throws Exception {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        if (status != 200 && status != 409) {
            throw new IllegalStateException("central answered HTTP " + status + ": " + abbreviate(body));
        }
        try {
            return ImportReportJudge.judge(JSON.readTree(body), delete);
        } catch (Exception e) {
            throw new IllegalStateException("central's import report could not be read: " + e.getMessage(), e);
        }
    }

    /** After a page's imports: the state of every object of the page, with its conflicts, in one transaction. */
    public void settlePage(Exchange exchange) {
        Page page = page(exchange);
        TrackerPass pass = page.pass;
        if (RelationshipPages.SCOPE.equals(page.scope)) {
            pass.relationships.pages.settle(page, books);
            return;
        }
        List<Settlement> settlements = new ArrayList<>();
        int synced = 0;
        int errors = 0;
        int warnings = 0;
        int open = 0;
        for (Unit u : page.units) {
            SyncState aggregated = SyncState.SYNCED;
            for (Member m : u.members()) {
                ImportReportJudge.Verdict v = verdict(page, m);
                settlements.add(settlement(m, v));
                if (m.type() != TrackerType.RELATIONSHIP || m.deleted()) {
                    aggregated = SyncState.worst(aggregated, v.state());
                }
            }
            ImportReportJudge.Verdict own = verdict(page, u.self());
            // central did not confirm the object itself: it stays unsettled (sent again), whatever its children got
            aggregated = own.state().settled() ? SyncState.worst(aggregated, own.state()) : own.state();
            String error = own.conflicts().isEmpty() ? (aggregated == SyncState.SYNCED ? null
                    : aggregated.settled() ? "a nested object was rejected" : "not confirmed by central")
                    : own.conflicts().get(0).value();
            settlements.add(new Settlement(u.self().type(), u.self().uid(), u.self().updatedAt(), aggregated, false,
                    error, own.conflicts()));
            switch (aggregated) {
                case SYNCED -> synced++;
                case ERROR -> errors++;
                case WARNING -> warnings++;
                default -> {
                    open++;
                    pass.unsettledAt(u.self().updatedAt());
                    pass.relationships.ownerNotConfirmed(u.self().uid());
                }
            }
        }
        books.settle(pass.run.id(), settlements);
        pageSizes.succeeded(mode.stage, page.units.size());
        pass.count(synced, errors, warnings, open);
        String summary = synced + " synced, " + errors + " rejected, " + warnings + " with warnings, " + open
                + " not confirmed";
        LOG.info("{} {} page {}: {}", mode.stage, page.scope, page.number, summary);
        if (open > 0) {
            page.item.fail(summary);
        } else {
            page.item.complete(summary);
        }
    }

    /**
     * The local export could not be read (retries exhausted, unreadable answer): the rest of this program / type
     * waits for the next run, and the watermark stays at or before the cursor.
     */
    public void readFailed(Exchange exchange) {
        TrackerPass pass = pass(exchange);
        String reason = caught(exchange);
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

    /** A page was not confirmed by central (retries exhausted, reset, unreadable answer): nothing is settled. */
    public void pageFailed(Exchange exchange) {
        Page page = page(exchange);
        TrackerPass pass = page.pass;
        String reason = caught(exchange);
        if (RelationshipPages.SCOPE.equals(page.scope)) {
            pass.relationships.pages.failed(page, reason);
            return;
        }
        for (Unit u : page.units) {
            pass.unsettledAt(u.self().updatedAt());
            pass.relationships.ownerNotConfirmed(u.self().uid());
        }
        pass.count(0, 0, 0, page.units.size());
        page.item.fail("Page " + page.number + " was not confirmed by central: " + reason);
        pass.run.recordFailure(mode.noun + ": page " + page.number + " of " + page.scope + " not confirmed: "
                + reason);
        LOG.warn("{}: page {} of {} ({} objects) not confirmed: {}", mode.stage, page.number, page.scope,
                page.units.size(), reason);
    }

    /** A failure before paging (availability, system info, metadata): the stage ends without reading anything. */
    public void stageFailed(Exchange exchange) {
        String reason = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class) == null ? "unknown failure"
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage();
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + mode.stage);
        TrackerPass pass = exchange.getVariable(TrackerPass.VARIABLE, TrackerPass.class);
        (pass != null ? pass.process : run.progress().startProcess(mode.description)).fail(reason);
        run.recordFailure(mode.description + " failed: " + reason);
        run.recordStage(pass == null ? StageOutcome.of(mode.metric, 0, 0, 0, 0, Instant.now(), false)
                : outcome(pass));
        LOG.warn("{} failed: {}", mode.description, reason);
    }

    /** End of the stage: the watermark moves to the window end or to the oldest unsettled object. */
    public void closeWindow(Exchange exchange) {
        TrackerPass pass = pass(exchange);
        batchSettled(exchange);
        if (pass.stage != null && !pass.stage.isComplete()) {
            pass.stage.complete(pass.pageNumber + " pages");
        }
        Instant next = pass.upper;
        if (pass.oldestUnsettled != null && pass.oldestUnsettled.isBefore(next)) {
            next = pass.oldestUnsettled;
        }
        if (!pass.unsettledFromStart) {
            books.advanceWatermark(mode.stage, next);
        }
        String summary = pass.sent + " " + mode.noun + " sent: " + pass.synced + " synced, " + pass.warnings
                + " accepted with warnings, " + pass.errors + " rejected, " + pass.unsettled + " did not arrive";
        // the status rule: accepted (warnings included) is success; rejected or not arrived fails the job
        if (pass.errors > 0) {
            pass.run.recordFailure(pass.errors + " " + mode.noun + " rejected by central (conflicts recorded)");
        }
        if (pass.unsettled > 0 || pass.unsettledFromStart) {
            pass.run.recordFailure(pass.unsettled + " " + mode.noun + " did not arrive (sent again next run)");
            pass.process.fail(summary);
        } else if (pass.run.failures().isEmpty()) {
            pass.process.complete(summary);
        } else {
            pass.process.fail(summary);
        }
        pass.run.recordStage(outcome(pass));
        LOG.info("{}: {}; next window starts at {}", mode.description, summary,
                pass.unsettledFromStart ? "the same place" : next);
    }

    // ---------------------------------------------------------------- helpers

    /** The stage's numbers for the metrics; settled = confirmed by central (synced) or rejected as a conflict. */
    private StageOutcome outcome(TrackerPass pass) {
        return StageOutcome.of(mode.metric, pass.sent, pass.synced + pass.errors + pass.warnings,
                pass.errors + pass.warnings, pass.pagesFailed, pass.process.getStartedTime(),
                pass.process.getStatus() == JobProgress.Status.SUCCESS);
    }

    private Unit addEvent(TrackerPass pass, ObjectNode event, Member self, ObjectNode deletes, ObjectNode upserts) {
        if (self.deleted()) {
            array(deletes, TrackerType.EVENT).addObject().put("event", self.uid());
        } else {
            event.remove("relationships");
            pass.skipSync.strip(event);
            array(upserts, TrackerType.EVENT).add(event);
        }
        return new Unit(self, List.of());
    }

    private Unit addTrackedEntity(TrackerPass pass, ObjectNode te, Member self, ObjectNode deletes,
                                  ObjectNode upserts) {
        List<Member> members = new ArrayList<>();
        if (self.deleted()) {
            array(deletes, TrackerType.TRACKED_ENTITY).addObject().put("trackedEntity", self.uid());
            return new Unit(self, members);
        }
        te.remove("programOwners");
        pass.skipSync.strip(te);
        ArrayNode enrollments = te.path("enrollments") instanceof ArrayNode a ? a : te.putArray("enrollments");
        for (Iterator<JsonNode> ei = enrollments.iterator(); ei.hasNext(); ) {
            ObjectNode en = (ObjectNode) ei.next();
            if (!programs.isEmpty() && !programs.contains(en.path("program").asText())) {
                ei.remove(); // an enrollment in a program that is not configured stays on the local instance
                continue;
            }
            Member m = member(TrackerType.ENROLLMENT, en);
            members.add(m);
            en.remove("relationships"); // sent by reference after all tracked entities
            if (m.deleted()) {
                array(deletes, TrackerType.ENROLLMENT).addObject().put("enrollment", m.uid());
                ei.remove();
                continue;
            }
            ArrayNode events = en.path("events") instanceof ArrayNode a ? a : en.putArray("events");
            for (Iterator<JsonNode> vi = events.iterator(); vi.hasNext(); ) {
                ObjectNode ev = (ObjectNode) vi.next();
                Member em = member(TrackerType.EVENT, ev);
                members.add(em);
                ev.remove("relationships");
                if (em.deleted()) {
                    array(deletes, TrackerType.EVENT).addObject().put("event", em.uid());
                    vi.remove();
                }
            }
        }
        JsonNode relationships = te.remove("relationships");
        if (relationships != null) {
            for (JsonNode r : relationships) {
                Member rm = member(TrackerType.RELATIONSHIP, (ObjectNode) r);
                if (rm.deleted()) { // live ones go by reference after all tracked entities (RelationshipPass)
                    members.add(rm);
                    array(deletes, TrackerType.RELATIONSHIP).addObject().put("relationship", rm.uid());
                }
            }
        }
        array(upserts, TrackerType.TRACKED_ENTITY).add(te);
        return new Unit(self, members);
    }

    private ImportReportJudge.Verdict verdict(Page page, Member m) {
        ImportReportJudge judge = m.deleted() ? page.deleteJudge : page.upsertJudge;
        if (judge == null) {
            return new ImportReportJudge.Verdict(m.deleted() ? SyncState.TO_DELETE : SyncState.TO_UPDATE, List.of());
        }
        ImportReportJudge.Verdict v = judge.of(m.type(), m.uid());
        if (m.deleted() && v.state() == SyncState.TO_UPDATE) {
            return new ImportReportJudge.Verdict(SyncState.TO_DELETE, List.of());
        }
        return v;
    }

    private static Settlement settlement(Member m, ImportReportJudge.Verdict v) {
        String error = v.conflicts().isEmpty() ? null : v.conflicts().get(0).value();
        return new Settlement(m.type(), m.uid(), m.updatedAt(), v.state(), false, error, v.conflicts());
    }

    private static List<Member> all(Unit u) {
        List<Member> all = new ArrayList<>(u.members());
        all.add(u.self());
        return all;
    }

    /** Sent when never seen, unsettled, asked for again, or changed since it was settled. */
    public static boolean needsSending(ItemState s, Instant updatedAt) {
        if (s == null || s.resendRequested() || !s.state().settled()) {
            return true;
        }
        Instant since = s.state() == SyncState.SYNCED ? s.lastSynchronized() : s.lastUpdated();
        return since == null || updatedAt == null || updatedAt.isAfter(since);
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
        Instant last = parseTime(items.get(items.size() - 1).path("updatedAt").asText(null));
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
            if (last != null && last.equals(parseTime(item.path("updatedAt").asText(null)))) {
                pass.seenAtCursor.add(item.path(idField()).asText());
            }
        }
    }

    private Member member(TrackerType type, ObjectNode o) {
        Instant updated = parseTime(o.path("updatedAt").asText(o.path("lastUpdated").asText(null)));
        return new Member(type, o.path(type.idField()).asText(), updated, o.path("deleted").asBoolean(false));
    }

    private ArrayNode items(JsonNode page) {
        for (String key : new String[] {mode == Mode.EVENTS ? "events" : "trackedEntities", "instances"}) {
            if (page.path(key).isArray()) {
                return (ArrayNode) page.path(key);
            }
        }
        throw new IllegalStateException("the local export has no " + mode.noun + " list");
    }

    private TrackerType topType() {
        return mode.topType();
    }

    private String idField() {
        return topType().idField();
    }

    private static ArrayNode array(ObjectNode payload, TrackerType type) {
        return payload.path(type.collection()) instanceof ArrayNode a ? a : payload.putArray(type.collection());
    }

    private static Page page(Exchange exchange) {
        Page page = exchange.getVariable(PAGE, Page.class);
        if (page == null) {
            throw new IllegalStateException("no tracker page on this exchange");
        }
        return page;
    }

    public static String caught(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        return e == null ? "unknown failure" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static TrackerPass pass(Exchange exchange) {
        TrackerPass pass = exchange.getVariable(TrackerPass.VARIABLE, TrackerPass.class);
        if (pass == null) {
            throw new IllegalStateException("no tracker window open on this exchange");
        }
        return pass;
    }

    /** Nothing of the previous answer (headers, body) may leak into the next request. */
    public static void clearForCall(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
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

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
