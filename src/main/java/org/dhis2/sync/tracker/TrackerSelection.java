package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.dhis2.sync.tracker.TrackerPass.Page;
import org.dhis2.sync.tracker.TrackerPass.Unit;
import org.dhis2.sync.tracker.TrackerPushStage.Mode;

/**
 * What of an export page is sent: the objects changed since they were last settled, cut into send pages of the size
 * central accepts, marked TO_POST / TO_UPDATE / TO_DELETE and queued in the batch.
 */
final class TrackerSelection {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mode mode;
    private final TrackerBookkeeping books;
    private final TrackerReader reader;
    private final TrackerPayloads payloads;
    private final AdaptivePageSizes pageSizes;
    private final int pageSize;

    TrackerSelection(Mode mode, TrackerBookkeeping books, TrackerReader reader, TrackerPayloads payloads,
                     AdaptivePageSizes pageSizes, int pageSize) {
        this.mode = mode;
        this.books = books;
        this.reader = reader;
        this.payloads = payloads;
        this.pageSizes = pageSizes;
        this.pageSize = pageSize;
    }

    /**
     * After the export call: moves the cursor, keeps the objects that need sending, marks them TO_POST / TO_UPDATE /
     * TO_DELETE, and queues a page with its DELETE and CREATE_AND_UPDATE payloads in the batch (when there is
     * anything to send).
     */
    void selectPage(Exchange exchange) throws Exception {
        TrackerPass pass = TrackerExchange.pass(exchange);
        JsonNode body = JSON.readTree(exchange.getMessage().getBody(String.class));
        ArrayNode items = reader.read(pass, body);
        TrackerType topType = mode.topType();

        List<ObjectNode> fresh = new ArrayList<>();
        for (JsonNode item : items) {
            if (item instanceof ObjectNode o && pass.processed.add(o.path(topType.idField()).asText())) {
                fresh.add(o);
            }
        }
        Map<String, ItemState> states = books.states(topType,
                fresh.stream().map(o -> o.path(topType.idField()).asText()).toList());
        List<ObjectNode> toSend = new ArrayList<>();
        for (ObjectNode o : fresh) {
            Member self = TrackerPayloads.member(topType, o);
            ItemState own = states.get(self.uid());
            boolean changed = needsSending(own, self.updatedAt());
            // sent or not, its relationships are considered: they have their own states
            pass.relationships.collect(o, self, changed, own != null && own.resendRequested());
            if (changed) {
                toSend.add(o);
            }
        }
        TrackerExchange.clearForCall(exchange);
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
                Member self = TrackerPayloads.member(topType, o);
                TrackerPageSplit.Part part = new TrackerPageSplit.Part();
                page.units.add(mode == Mode.EVENTS ? payloads.addEvent(pass, o, self, part.deletes(), part.upserts())
                        : payloads.addTrackedEntity(pass, o, self, part.deletes(), part.upserts()));
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

    /** Sent when never seen, unsettled, asked for again, or changed since it was settled. */
    static boolean needsSending(ItemState s, Instant updatedAt) {
        if (s == null || s.resendRequested() || !s.state().settled()) {
            return true;
        }
        Instant since = s.state() == SyncState.SYNCED ? s.lastSynchronized() : s.lastUpdated();
        return since == null || updatedAt == null || updatedAt.isAfter(since);
    }

    private static List<Member> all(Unit u) {
        List<Member> all = new ArrayList<>(u.members());
        all.add(u.self());
        return all;
    }
}
