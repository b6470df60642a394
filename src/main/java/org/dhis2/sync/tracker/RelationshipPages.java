package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.StageOutcome;
import org.dhis2.sync.tracker.RelationshipPass.Owner;
import org.dhis2.sync.tracker.RelationshipPass.Pending;
import org.dhis2.sync.tracker.TrackerBookkeeping.Conflict;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.dhis2.sync.tracker.TrackerPass.Page;
import org.dhis2.sync.tracker.TrackerPass.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of the relationship pass ({@link RelationshipPass} selects): pages of relationships (DELETE
 * import first, then CREATE_AND_UPDATE by reference), central's verdict per relationship, and the run's figures
 * for relationships, kept apart from those of the stage's objects. A relationship central already has is ignored
 * there (DHIS2 never updates relationships; warning E4015 with reportMode=WARNINGS) and counts as settled; one that
 * was not confirmed stays unsettled and keeps the window at the object that carried it.
 */
final class RelationshipPages {

    /** The scope of relationship pages ({@link Page#scope}); tracked entity and event pages carry a UID. */
    static final String SCOPE = "relationships";
    /** DHIS2's "Relationship: uid, already exists." (a warning on CREATE_AND_UPDATE: ignored, not updated). */
    static final String ALREADY_EXISTS = "E4015";
    /**
     * E4012: an end of the relationship is not on central (yet): its page failed or was not sent in this run. Not a
     * rejection of the relationship itself, which is sent again once the end is there (settling it as ERROR lost it).
     */
    static final String END_NOT_FOUND = "E4012";
    private static final Logger LOG = LoggerFactory.getLogger(RelationshipPages.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A relationship on its way: created, or deleted (DELETE import), with the object that carried it. */
    record Send(Pending pending, Owner owner, boolean delete) {
    }

    private final Deque<Send> queue = new ArrayDeque<>();
    private final Map<String, Owner> sending = new ConcurrentHashMap<>();
    private JobProgress.Stage stage;
    private int pageNumber;
    private int sent;
    private int synced;
    private int rejected;
    private int open;
    private int pagesFailed;
    private Instant started = Instant.now();
    /** The metric label of relationship figures (both tracker stages). */
    static final String METRIC = "relationships";

    /** The pass starts (after the stage's objects are settled): the start of its duration. */
    void begin() {
        started = Instant.now();
    }

    void add(Send send) {
        queue.add(send);
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
            Owner owner = send.owner();
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
            if (state == SyncState.ERROR && !v.conflicts().isEmpty()
                    && v.conflicts().stream().allMatch(c -> END_NOT_FOUND.equals(c.errorCode()))) {
                state = SyncState.TO_UPDATE; // not arrived: sent again next run
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
        count(ok, bad, missing, missing > 0 ? 1 : 0);
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
        count(0, 0, page.units.size(), 1);
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
        if (sent > 0) {
            LOG.info("{} relationships sent: {} synced, {} rejected, {} did not arrive", sent, synced, rejected, open);
        }
        pass.run.recordStage(StageOutcome.of(METRIC, sent, synced + rejected, rejected,
                pagesFailed, started, rejected == 0 && open == 0));
    }

    /** Keeps the window at the object that carried it, so that the next run reads it again. */
    private void notArrived(TrackerPass pass, String uid) {
        Owner owner = sending.get(uid);
        pass.unsettledAt(owner == null ? null : owner.updatedAt());
    }

    private synchronized void count(int ok, int bad, int missing, int failedPages) {
        synced += ok;
        rejected += bad;
        open += missing;
        pagesFailed += failedPages;
    }

    private static String noun(int n) {
        return n == 1 ? "relationship" : "relationships";
    }
}

