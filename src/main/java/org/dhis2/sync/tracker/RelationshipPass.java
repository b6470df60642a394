package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.tracker.TrackerBookkeeping.Conflict;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.dhis2.sync.tracker.TrackerPass.Page;
import org.dhis2.sync.tracker.TrackerPass.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relationship pass of a tracker stage (one per run, in its {@link TrackerPass}), after every page of tracked
 * entities or events is settled, so that both ends exist on central. Relationships come with the objects the stage
 * reads (whether those are sent or not), are sent by reference only ({@link RelationshipReference}) and have their
 * own bookkeeping: a relationship is sent when never confirmed, asked for again or changed since it was settled.
 * A relationship central already has is ignored there (DHIS2 never updates relationships; warning E4015 with
 * reportMode=WARNINGS) and counts as settled. One that was not confirmed stays TO_POST and keeps the window from
 * moving past the object that carried it, so the next run reads that object again and re-sends the relationship.
 * Relationships of an object central did not confirm wait for the next run with it.
 */
final class RelationshipPass {

    /** The scope of relationship pages ({@link Page#scope}); tracked entity and event pages carry a UID. */
    static final String SCOPE = "relationships";
    /** DHIS2's "Relationship: uid, already exists." (a warning on CREATE_AND_UPDATE: ignored, not updated). */
    static final String ALREADY_EXISTS = "E4015";
    private static final Logger LOG = LoggerFactory.getLogger(RelationshipPass.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Objects per answer of the liveness check; a full answer is inconclusive (nothing is taken as deleted). */
    static final int CHECK_PAGE_SIZE = 1000;

    /**
     * A relationship to consider: its reference form, and the object whose export carried it ({@code ownerIsEnd}:
     * the owner itself is an end, not one of its enrollments or events).
     */
    record Pending(String uid, ObjectNode reference, Instant updatedAt, String owner, boolean ownerIsEnd) {
    }

    /** An object of the stage that carried relationships; {@code changed}: changed since it was last settled. */
    record Owner(String uid, TrackerType type, Instant updatedAt, boolean changed) {
    }

    /** A relationship on its way: created, or deleted (DELETE import). */
    private record Send(Pending pending, boolean delete) {
    }

    private final Map<String, Pending> collected = new LinkedHashMap<>();
    private final Map<String, Owner> owners = new LinkedHashMap<>();
    private final Set<String> unconfirmedOwners = ConcurrentHashMap.newKeySet();
    private Map<String, ItemState> states = Map.of();
    private final Deque<Owner> checks = new ArrayDeque<>();
    private final Map<String, Set<String>> live = new HashMap<>();
    private Owner checking;
    private int checksFailed;
    private final Deque<Send> queue = new ArrayDeque<>();
    private final Map<String, Owner> sending = new ConcurrentHashMap<>();
    private JobProgress.Stage stage;
    private int pageNumber;
    private int sent;
    private int synced;
    private int rejected;
    private int open;

    /**
     * The live relationships exported with a top-level object (tracked entity or event), its enrollments and their
     * events. A deleted object's relationships went with it; relationships marked deleted travel with their
     * tracked entity's DELETE import.
     */
    void collect(ObjectNode owner, Member self, boolean changed) {
        if (self.deleted()) {
            return;
        }
        Owner o = new Owner(self.uid(), self.type(), self.updatedAt(), changed);
        scan(owner.path("relationships"), o);
        for (JsonNode en : owner.path("enrollments")) {
            scan(en.path("relationships"), o);
            for (JsonNode ev : en.path("events")) {
                scan(ev.path("relationships"), o);
            }
        }
    }

    private void scan(JsonNode relationships, Owner owner) {
        if (!relationships.isArray()) {
            return;
        }
        for (JsonNode r : relationships) {
            if (r.path("deleted").asBoolean(false) || endDeleted(r.path("from")) || endDeleted(r.path("to"))) {
                continue; // a relationship goes with a deleted end (DHIS2 deletes it with it)
            }
            var ref = RelationshipReference.of(r);
            if (ref.isEmpty()) {
                LOG.warn("a relationship exported with {} {} has no UID, type or end; not sent",
                        owner.type().idField(), owner.uid());
                continue;
            }
            String uid = ref.get().path("relationship").asText();
            Instant updated = TrackerPushStage.parseTime(r.path("updatedAt").asText(r.path("createdAt").asText(null)));
            boolean ownerIsEnd = isEnd(ref.get().path("from"), owner) || isEnd(ref.get().path("to"), owner);
            owners.putIfAbsent(owner.uid(), owner);
            collected.putIfAbsent(uid, new Pending(uid, ref.get(), updated != null ? updated : owner.updatedAt(),
                    owner.uid(), ownerIsEnd));
        }
    }

    private static boolean isEnd(JsonNode end, Owner owner) {
        String kind = owner.type().idField();
        return owner.uid().equals(end.path(kind).path(kind).asText(null));
    }

    /**
     * DHIS2 exports no deleted flag on a relationship (view.Relationship), and with includeDeleted=true a deleted
     * one comes like a live one; the nested object of an end does say whether it was deleted.
     */
    private static boolean endDeleted(JsonNode end) {
        for (String kind : new String[] {"trackedEntity", "enrollment", "event"}) {
            if (end.path(kind).path("deleted").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** An object of this run that central did not confirm: its relationships wait for the next run. */
    void ownerNotConfirmed(String uid) {
        unconfirmedOwners.add(uid);
    }

    /**
     * After the stage's objects are settled: reads the bookkeeping of the relationships collected, and lists the
     * objects whose live relationships must be read from the local server (those changed since settled, which is
     * how a deleted relationship shows, and those with relationships to send): DHIS2's export with
     * includeDeleted=true lists a deleted relationship like a live one, with no flag.
     */
    void planChecks(TrackerBookkeeping books) {
        states = books.states(TrackerType.RELATIONSHIP, collected.keySet());
        Set<String> toCheck = new HashSet<>();
        for (Pending p : collected.values()) {
            Owner o = owners.get(p.owner());
            if (p.ownerIsEnd() && !unconfirmedOwners.contains(o.uid())
                    && (o.changed() || TrackerPushStage.needsSending(states.get(p.uid()), p.updatedAt()))) {
                toCheck.add(o.uid());
            }
        }
        owners.values().stream().filter(o -> toCheck.contains(o.uid())).forEach(checks::add);
    }

    boolean hasCheck() {
        return !checks.isEmpty();
    }

    /** The query of the next liveness check: the object's relationships without deleted ones. */
    String nextCheckQuery() {
        checking = checks.poll();
        return checking.type().idField() + "=" + checking.uid() + "&page=1&pageSize=" + CHECK_PAGE_SIZE
                + "&fields=relationship";
    }

    /** The answer of a liveness check ({@code relationships}, or {@code instances} up to 2.40). */
    void readCheck(JsonNode answer) {
        JsonNode items = answer.has("relationships") ? answer.path("relationships") : answer.path("instances");
        if (!items.isArray()) {
            throw new IllegalStateException("the local relationships answer has no relationship list");
        }
        if (items.size() >= CHECK_PAGE_SIZE) {
            return; // more than one page: inconclusive, nothing is taken as deleted
        }
        Set<String> uids = new HashSet<>();
        items.forEach(r -> uids.add(r.path("relationship").asText()));
        live.put(checking.uid(), uids);
    }

    /** A liveness check failed: the object's relationships wait for the next run, which reads it again. */
    void checkFailed(TrackerPass pass) {
        if (checking != null) {
            unconfirmedOwners.add(checking.uid());
            pass.unsettledAt(checking.updatedAt());
            checksFailed++;
        }
    }

    /**
     * Queues (and marks) what needs sending: live relationships never confirmed, asked for again or changed since
     * settled; and DELETE imports for relationships central has that are no longer live on the local server.
     */
    void select(TrackerPass pass, TrackerBookkeeping books) {
        List<Settlement> marks = new ArrayList<>();
        for (Pending p : collected.values()) {
            Owner o = owners.get(p.owner());
            if (unconfirmedOwners.contains(o.uid())) {
                continue;
            }
            ItemState s = states.get(p.uid());
            Set<String> liveOfOwner = p.ownerIsEnd() ? live.get(o.uid()) : null;
            if (liveOfOwner != null && !liveOfOwner.contains(p.uid())) {
                if (s != null && s.lastSynchronized() != null) { // central has it: delete it there
                    queue.add(new Send(p, true));
                    marks.add(new Settlement(TrackerType.RELATIONSHIP, p.uid(), o.updatedAt(), SyncState.TO_DELETE,
                            true, null, List.of()));
                }
            } else if (TrackerPushStage.needsSending(s, p.updatedAt())) {
                queue.add(new Send(p, false));
                SyncState mark = s == null || s.lastSynchronized() == null ? SyncState.TO_POST : SyncState.TO_UPDATE;
                marks.add(new Settlement(TrackerType.RELATIONSHIP, p.uid(), p.updatedAt(), mark, true, null,
                        List.of()));
            }
        }
        collected.clear();
        books.settle(pass.run.id(), marks);
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** The next page of up to pageSize relationships (CREATE_AND_UPDATE only), added to the pass's batch. */
    void queuePage(TrackerPass pass, int pageSize) throws Exception {
        ArrayNode deletes = JSON.createArrayNode();
        ArrayNode upserts = JSON.createArrayNode();
        List<Unit> units = new ArrayList<>();
        while (!queue.isEmpty() && units.size() < pageSize) {
            Send send = queue.poll();
            Pending p = send.pending();
            Owner owner = owners.get(p.owner());
            if (send.delete()) {
                deletes.addObject().put("relationship", p.uid());
            } else {
                upserts.add(p.reference());
            }
            sending.put(p.uid(), owner);
            units.add(new Unit(new Member(TrackerType.RELATIONSHIP, p.uid(),
                    send.delete() ? owner.updatedAt() : p.updatedAt(), send.delete()), List.of()));
        }
        if (stage == null) {
            stage = pass.process.startStage("Synchronizing relationships", 0, JobProgress.FailurePolicy.SKIP_ITEM);
        }
        pageNumber++;
        synchronized (this) {
            sent += units.size();
        }
        JobProgress.Item item = stage.startItem("Page " + pageNumber + ": " + units.size() + " relationships");
        pass.batch.add(new Page(pass, pageNumber, SCOPE, item, units, payload(deletes), payload(upserts)));
    }

    private static String payload(ArrayNode relationships) throws Exception {
        if (relationships.isEmpty()) {
            return null;
        }
        ObjectNode body = JSON.createObjectNode();
        body.set(TrackerType.RELATIONSHIP.collection(), relationships);
        return JSON.writeValueAsString(body);
    }

    /** Central's verdict on each relationship of a page, recorded in one transaction. */
    void settle(Page page, TrackerBookkeeping books) {
        List<Settlement> settlements = new ArrayList<>();
        int ok = 0;
        int bad = 0;
        int missing = 0;
        for (Unit u : page.units) {
            Member m = u.self();
            ImportReportJudge judge = m.deleted() ? page.deleteJudge : page.upsertJudge;
            ImportReportJudge.Verdict v = judge == null ? new ImportReportJudge.Verdict(SyncState.TO_UPDATE, List.of())
                    : judge.of(TrackerType.RELATIONSHIP, m.uid());
            SyncState state = v.state();
            if (state == SyncState.WARNING && v.conflicts().stream().allMatch(c -> ALREADY_EXISTS.equals(c.errorCode()))) {
                state = SyncState.SYNCED; // central has it and keeps it as it is
            }
            if (state.settled()) {
                String error = state == SyncState.SYNCED || v.conflicts().isEmpty() ? null
                        : v.conflicts().get(0).value();
                List<Conflict> conflicts = state == SyncState.SYNCED ? List.of() : v.conflicts();
                settlements.add(new Settlement(m.type(), m.uid(), m.updatedAt(), state, false, error, conflicts));
                if (state == SyncState.ERROR) {
                    bad++;
                } else {
                    ok++;
                }
            } else {
                missing++;
                notArrived(page.pass, m.uid());
            }
        }
        books.settle(page.pass.run.id(), settlements);
        count(ok, bad, missing);
        String summary = ok + " synced, " + bad + " rejected, " + missing + " not confirmed";
        LOG.info("relationships page {}: {}", page.number, summary);
        if (missing > 0) {
            page.item.fail(summary);
        } else {
            page.item.complete(summary);
        }
    }

    /** A page that did not arrive (retries exhausted, unreadable answer): its relationships go again next run. */
    void failed(Page page, String reason) {
        for (Unit u : page.units) {
            notArrived(page.pass, u.self().uid());
        }
        count(0, 0, page.units.size());
        page.item.fail("Page " + page.number + " of relationships was not confirmed by central: " + reason);
        LOG.warn("relationships page {} ({} relationships) not confirmed: {}", page.number, page.units.size(),
                reason);
    }

    /** End of the pass: the run's figures for relationships, apart from those of the stage's objects. */
    synchronized void finish(TrackerPass pass) {
        if (stage != null && !stage.isComplete()) {
            stage.complete(pageNumber + " pages");
        }
        if (rejected > 0) {
            pass.run.recordFailure(rejected + " " + noun(rejected) + " rejected by central (conflicts recorded)");
        }
        if (open > 0) {
            pass.run.recordFailure(open + " " + noun(open) + " did not arrive (sent again next run)");
        }
        if (checksFailed > 0) {
            pass.run.recordFailure("relationships of " + checksFailed + " objects could not be read from the local "
                    + "server (read again next run)");
        }
        if (sent > 0) {
            LOG.info("{} relationships sent: {} synced, {} rejected, {} did not arrive", sent, synced, rejected, open);
        }
    }

    /** Keeps the window at the object that carried it, so that the next run reads it again. */
    private void notArrived(TrackerPass pass, String uid) {
        Owner owner = sending.get(uid);
        pass.unsettledAt(owner == null ? null : owner.updatedAt());
    }

    private synchronized void count(int ok, int bad, int missing) {
        synced += ok;
        rejected += bad;
        open += missing;
    }

    private static String noun(int n) {
        return n == 1 ? "relationship" : "relationships";
    }
}
