package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.dhis2.sync.job.StageOutcome;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPass.Member;
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
        EVENTS("events", "events", "Event programs data synchronization", "events", "program", "*,!relationships"),
        TRACKED_ENTITIES("tracker", "trackedEntities", "Tracker programs data synchronization", "tracked entities",
                "trackedEntityType", "*,enrollments[*,events[*]],relationships[*],!programOwners");

        final String stage;
        /** The stage label of the metrics. */
        final String metric;
        final String description;
        final String noun;
        final String scopeParam;
        final String fields;

        Mode(String stage, String metric, String description, String noun, String scopeParam, String fields) {
            this.stage = stage;
            this.metric = metric;
            this.description = description;
            this.noun = noun;
            this.scopeParam = scopeParam;
            this.fields = fields;
        }
    }

    public static final String DELETES = "trackerDeletes";
    public static final String UPSERTS = "trackerUpserts";
    private static final Logger LOG = LoggerFactory.getLogger(TrackerPushStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private final Mode mode;
    private final TrackerBookkeeping books;
    private final int pageSize;
    private final Instant skipChangedBefore;

    public TrackerPushStage(Mode mode, TrackerBookkeeping books, int pageSize, Instant skipChangedBefore) {
        this.mode = mode;
        this.books = books;
        this.pageSize = pageSize;
        this.skipChangedBefore = skipChangedBefore;
    }

    public static TrackerPushStage events(DataSource dataSource, SyncSettings settings) {
        return new TrackerPushStage(Mode.EVENTS, new TrackerBookkeeping(dataSource, "default"),
                settings.eventsPageSize(), settings.skipChangedBefore().orElse(null));
    }

    public static TrackerPushStage trackedEntities(DataSource dataSource, SyncSettings settings) {
        return new TrackerPushStage(Mode.TRACKED_ENTITIES, new TrackerBookkeeping(dataSource, "default"),
                settings.trackerPageSize(), settings.skipChangedBefore().orElse(null));
    }

    public TrackerBookkeeping bookkeeping() {
        return books;
    }

    // ---------------------------------------------------------------- window and scopes

    /** After GET /api/system/info of the local instance: the window [watermark, serverDate], the progress process. */
    public void openWindow(Exchange exchange) throws Exception {
        JobRun run = exchange.getProperty(JobCoordinator.RUN_PROPERTY, JobRun.class);
        if (run == null) {
            throw new IllegalStateException("stage." + mode.stage + " must run inside a job");
        }
        JsonNode info = JSON.readTree(exchange.getMessage().getBody(String.class));
        Instant upper = parseTime(info.path("serverDate").asText(null));
        if (upper == null) {
            throw new IllegalStateException("the local DHIS2 did not report its serverDate");
        }
        Instant lower = books.watermark(mode.stage).orElse(null);
        if (skipChangedBefore != null && (lower == null || lower.isBefore(skipChangedBefore))) {
            lower = skipChangedBefore;
        }
        JobProgress.Process process = run.progress().startProcess(mode.description);
        exchange.setVariable(TrackerPass.VARIABLE,
                new TrackerPass(run, process, lower, upper, SkipSyncFields.none()));
        LOG.info("{}: window {} .. {} (local server clock)", mode.stage, lower == null ? "beginning" : lower, upper);
        clearForCall(exchange);
    }

    /** After GET /api/programs of the local instance: skip-sync attributes and (events) the event programs. */
    public void readPrograms(Exchange exchange) throws Exception {
        TrackerPass pass = pass(exchange);
        JsonNode list = JSON.readTree(exchange.getMessage().getBody(String.class));
        pass.skipSync.addPrograms(list);
        if (mode == Mode.EVENTS) {
            for (JsonNode p : list.path("programs")) {
                if ("WITHOUT_REGISTRATION".equals(p.path("programType").asText())) {
                    pass.scopes.add(p.path("id").asText());
                }
            }
        }
        clearForCall(exchange);
    }

    /** After GET /api/programStages of the local instance: skip-sync data elements per stage. */
    public void readProgramStages(Exchange exchange) throws Exception {
        pass(exchange).skipSync.addProgramStages(JSON.readTree(exchange.getMessage().getBody(String.class)));
        clearForCall(exchange);
    }

    /** After GET /api/trackedEntityTypes (tracker stage): every type is read in turn. */
    public void readTrackedEntityTypes(Exchange exchange) throws Exception {
        TrackerPass pass = pass(exchange);
        for (JsonNode t : JSON.readTree(exchange.getMessage().getBody(String.class)).path("trackedEntityTypes")) {
            pass.scopes.add(t.path("id").asText());
        }
        clearForCall(exchange);
    }

    // ---------------------------------------------------------------- paging

    /** Loop condition: another page to read (moving to the next program or type when one is done). */
    public boolean hasNextPage(Exchange exchange) {
        TrackerPass pass = pass(exchange);
        while (pass.scopeDone) {
            if (pass.stage != null && !pass.stage.isComplete()) {
                pass.stage.complete(pass.pageNumber + " pages");
            }
            pass.scopeIndex++;
            if (pass.scopeIndex >= pass.scopes.size()) {
                return false;
            }
            pass.scopeDone = false;
            pass.cursor = pass.lower;
            pass.seenAtCursor.clear();
            pass.requestSize = pageSize;
            pass.pageNumber = 0;
            pass.stage = pass.process.startStage("Synchronizing " + mode.noun + " of " + mode.scopeParam + " "
                    + pass.scopes.get(pass.scopeIndex), 0, JobProgress.FailurePolicy.SKIP_ITEM);
        }
        return true;
    }

    /** Before the export call: the query of the next page (keyset on updatedAt, always page 1). */
    public void prepareRead(Exchange exchange) {
        TrackerPass pass = pass(exchange);
        pass.page = null;
        clearForCall(exchange);
        StringBuilder q = new StringBuilder();
        q.append(mode.scopeParam).append('=').append(pass.scopes.get(pass.scopeIndex));
        if (pass.cursor != null) {
            q.append("&updatedAfter=").append(enc(QUERY_TIME.format(pass.cursor)));
        }
        q.append("&updatedBefore=").append(enc(QUERY_TIME.format(pass.upper)));
        q.append("&includeDeleted=true&order=").append(enc("updatedAt:asc"));
        q.append("&page=1&pageSize=").append(pass.requestSize);
        q.append("&fields=").append(enc(mode.fields));
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, q.toString());
    }

    /**
     * After the export call: moves the cursor, keeps the objects that need sending, marks them TO_POST / TO_UPDATE /
     * TO_DELETE, and leaves the DELETE and CREATE_AND_UPDATE payloads in the variables {@value #DELETES} and
     * {@value #UPSERTS} (null when empty).
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
        ObjectNode deletes = JSON.createObjectNode();
        ObjectNode upserts = JSON.createObjectNode();
        List<Unit> units = new ArrayList<>();
        for (ObjectNode o : fresh) {
            Member self = member(topType(), o);
            if (!needsSending(states.get(self.uid()), self.updatedAt())) {
                continue;
            }
            units.add(mode == Mode.EVENTS ? addEvent(pass, o, self, deletes, upserts)
                    : addTrackedEntity(pass, o, self, deletes, upserts));
        }
        pass.page = units;
        pass.deleteJudge = null;
        pass.upsertJudge = null;
        if (!units.isEmpty()) {
            pass.pageNumber++;
            pass.pageItem = pass.stage.startItem("Page " + pass.pageNumber + ": " + units.size() + " " + mode.noun
                    + " to send (" + items.size() + " read)");
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
            books.settle(pass.run.id(), sending);
            pass.sent += units.size();
        }
        exchange.setVariable(DELETES, hasContent(deletes) ? JSON.writeValueAsString(deletes) : null);
        exchange.setVariable(UPSERTS, hasContent(upserts) ? JSON.writeValueAsString(upserts) : null);
        clearForCall(exchange);
    }

    /** Relationship pass (tracker stage), after all pages: loop condition and the next page of relationships. */
    public boolean hasRelationshipPage(Exchange exchange) throws Exception {
        TrackerPass pass = pass(exchange);
        if (pass.relationships.isEmpty()) {
            return false;
        }
        ObjectNode upserts = JSON.createObjectNode();
        ArrayNode array = upserts.putArray(TrackerType.RELATIONSHIP.collection());
        List<Unit> units = new ArrayList<>();
        Iterator<Map.Entry<String, ObjectNode>> it = pass.relationships.entrySet().iterator();
        while (it.hasNext() && units.size() < pageSize) {
            Map.Entry<String, ObjectNode> e = it.next();
            array.add(e.getValue());
            units.add(new Unit(new Member(TrackerType.RELATIONSHIP, e.getKey(),
                    pass.relationshipTimes.get(e.getKey()), false), List.of()));
            it.remove();
        }
        pass.sent += units.size();
        if (pass.stage == null || pass.stage.isComplete()) {
            pass.stage = pass.process.startStage("Synchronizing relationships", 0,
                    JobProgress.FailurePolicy.SKIP_ITEM);
            pass.pageNumber = 0;
        }
        pass.pageNumber++;
        pass.pageItem = pass.stage.startItem("Page " + pass.pageNumber + ": " + units.size() + " relationships");
        pass.page = units;
        pass.deleteJudge = null;
        pass.upsertJudge = null;
        // the loop condition may see a copy of the exchange: the payload travels in the pass
        pass.relationshipPayload = JSON.writeValueAsString(upserts);
        return true;
    }

    /** Before the POST of a relationship page: its payload as body. */
    public void prepareRelationshipSend(Exchange exchange) {
        TrackerPass pass = pass(exchange);
        clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(pass.relationshipPayload);
    }

    /** Before a POST to central: the payload as body, JSON content type, nothing else on the message. */
    public void prepareSend(Exchange exchange, String variable) {
        String payload = exchange.getVariable(variable, String.class);
        clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(payload);
    }

    /** After the DELETE import: the report per object (200 or 409 carry one; anything else fails the page). */
    public void judgeDeletes(Exchange exchange) throws Exception {
        pass(exchange).deleteJudge = judge(exchange, true);
    }

    /** After the CREATE_AND_UPDATE import. */
    public void judgeUpserts(Exchange exchange) throws Exception {
        pass(exchange).upsertJudge = judge(exchange, false);
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
        TrackerPass pass = pass(exchange);
        if (pass.page == null || pass.page.isEmpty()) {
            return;
        }
        List<Settlement> settlements = new ArrayList<>();
        int synced = 0;
        int errors = 0;
        int warnings = 0;
        int open = 0;
        for (Unit u : pass.page) {
            SyncState aggregated = SyncState.SYNCED;
            for (Member m : u.members()) {
                ImportReportJudge.Verdict v = verdict(pass, m);
                settlements.add(settlement(m, v));
                if (m.type() != TrackerType.RELATIONSHIP || m.deleted()) {
                    aggregated = SyncState.worst(aggregated, v.state());
                }
            }
            ImportReportJudge.Verdict own = verdict(pass, u.self());
            aggregated = SyncState.worst(aggregated, own.state());
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
                }
            }
        }
        books.settle(pass.run.id(), settlements);
        pass.synced += synced;
        pass.errors += errors;
        pass.warnings += warnings;
        pass.unsettled += open;
        String summary = synced + " synced, " + errors + " rejected, " + warnings + " with warnings, " + open
                + " not confirmed";
        LOG.info("{} {} page {}: {}", mode.stage, pass.scopeIndex < pass.scopes.size()
                ? pass.scopes.get(pass.scopeIndex) : "relationships", pass.pageNumber, summary);
        if (open > 0) {
            pass.pagesFailed++;
            pass.pageItem.fail(summary);
        } else {
            pass.pageItem.complete(summary);
        }
        pass.page = null;
    }

    /** A page failed for a transient reason (retries exhausted, reset, unreadable answer): nothing is settled. */
    public void pageFailed(Exchange exchange) {
        TrackerPass pass = pass(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "unknown failure" : e.getClass().getSimpleName() + ": " + e.getMessage();
        pass.pagesFailed++;
        if (pass.page == null) {
            // the export could not be read: the rest of this program/type waits for the next run
            pass.unsettledAt(pass.cursor);
            pass.unsettledFromStart |= pass.cursor == null;
            pass.scopeDone = true;
            if (pass.stage != null) {
                pass.stage.fail("Reading the local export failed: " + reason);
            }
            pass.run.recordFailure(mode.noun + ": reading page failed: " + reason);
            LOG.warn("{}: reading a page failed: {}", mode.stage, reason);
        } else {
            for (Unit u : pass.page) {
                pass.unsettledAt(u.self().updatedAt());
            }
            pass.unsettled += pass.page.size();
            if (pass.pageItem != null) {
                pass.pageItem.fail("Page " + pass.pageNumber + " was not confirmed by central: " + reason);
            }
            pass.run.recordFailure(mode.noun + ": page " + pass.pageNumber + " not confirmed: " + reason);
            LOG.warn("{}: page {} of {} objects not confirmed: {}", mode.stage, pass.pageNumber, pass.page.size(),
                    reason);
            pass.page = null;
        }
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
    }

    /** A failure before paging (availability, system info, metadata): the stage ends without reading anything. */
    public void stageFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "unknown failure" : e.getMessage();
        JobRun run = exchange.getProperty(JobCoordinator.RUN_PROPERTY, JobRun.class);
        TrackerPass pass = exchange.getVariable(TrackerPass.VARIABLE, TrackerPass.class);
        if (pass != null) {
            pass.process.fail(reason);
        } else if (run != null) {
            run.progress().startProcess(mode.description).fail(reason);
        }
        if (run != null) {
            run.recordFailure(mode.description + " failed: " + reason);
            run.recordStage(pass == null ? StageOutcome.of(mode.metric, 0, 0, 0, 0, Instant.now(), false)
                    : outcome(pass));
        }
        LOG.warn("{} failed: {}", mode.description, reason);
    }

    /** End of the stage: the watermark moves to the window end or to the oldest unsettled object. */
    public void closeWindow(Exchange exchange) {
        TrackerPass pass = pass(exchange);
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
        String summary = pass.sent + " " + mode.noun + " sent: " + pass.synced + " synced, " + pass.errors
                + " rejected, " + pass.warnings + " with warnings, " + pass.unsettled + " not confirmed";
        if (pass.errors > 0 || pass.warnings > 0) {
            pass.run.recordFailure(pass.errors + pass.warnings + " " + mode.noun
                    + " rejected by central (conflicts in import_conflict)");
        }
        if (pass.unsettled > 0 || pass.unsettledFromStart) {
            pass.run.recordFailure(pass.unsettled + " " + mode.noun + " did not reach central");
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
            Member m = member(TrackerType.ENROLLMENT, en);
            members.add(m);
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
                if (rm.deleted()) {
                    members.add(rm);
                    array(deletes, TrackerType.RELATIONSHIP).addObject().put("relationship", rm.uid());
                } else {
                    // sent after all tracked entities, so that both ends exist on central
                    pass.relationships.put(rm.uid(), (ObjectNode) r);
                    pass.relationshipTimes.put(rm.uid(), rm.updatedAt());
                }
            }
        }
        array(upserts, TrackerType.TRACKED_ENTITY).add(te);
        return new Unit(self, members);
    }

    private ImportReportJudge.Verdict verdict(TrackerPass pass, Member m) {
        ImportReportJudge judge = m.deleted() ? pass.deleteJudge : pass.upsertJudge;
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
    static boolean needsSending(ItemState s, Instant updatedAt) {
        if (s == null || s.resendRequested() || !s.state().settled()) {
            return true;
        }
        Instant since = s.state() == SyncState.SYNCED ? s.lastSynchronized() : s.lastUpdated();
        return since == null || updatedAt == null || updatedAt.isAfter(since);
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
            pass.requestSize = pageSize;
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
        return mode == Mode.EVENTS ? TrackerType.EVENT : TrackerType.TRACKED_ENTITY;
    }

    private String idField() {
        return topType().idField();
    }

    private static ArrayNode array(ObjectNode payload, TrackerType type) {
        return payload.path(type.collection()) instanceof ArrayNode a ? a : payload.putArray(type.collection());
    }

    private static boolean hasContent(ObjectNode payload) {
        return payload.size() > 0;
    }

    private static TrackerPass pass(Exchange exchange) {
        TrackerPass pass = exchange.getVariable(TrackerPass.VARIABLE, TrackerPass.class);
        if (pass == null) {
            throw new IllegalStateException("no tracker window open on this exchange");
        }
        return pass;
    }

    /** Nothing of the previous answer (headers, body) may leak into the next request. */
    private static void clearForCall(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
    }

    /** DHIS2 tracker times are the server's local time without offset; read them as UTC, like the watermark. */
    static Instant parseTime(String text) {
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
