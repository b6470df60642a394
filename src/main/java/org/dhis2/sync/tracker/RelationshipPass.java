package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relationship pass of a tracker stage (one per run, in its {@link TrackerPass}), after every page of tracked
 * entities or events is settled, so that both ends exist on central. Relationships come with the objects the stage
 * reads (whether those are sent or not), are sent by reference only ({@link RelationshipReference}) and have their
 * own bookkeeping (sync_item kind RELATIONSHIP): a relationship is sent when never confirmed, asked for again or
 * changed since it was settled. One that was not confirmed keeps the window from moving past the object that
 * carried it, so the next run reads that object again and re-sends it ({@link RelationshipPages}). Relationships
 * of an object central did not confirm wait for the next run with it.
 * <p>DHIS2 exports no deleted flag on relationships, and its export with includeDeleted=true lists a deleted one
 * like a live one. A deletion bumps the tracked entities at its ends, so for every changed object (and every object
 * with relationships to send) the live relationships are read from the local server
 * ({@code GET /api/tracker/relationships}); one central has that is no longer live is deleted there.
 */
final class RelationshipPass {

    private static final Logger LOG = LoggerFactory.getLogger(RelationshipPass.class);

    /** Objects per answer of the liveness check; a full answer is inconclusive (nothing is taken as deleted). */
    static final int CHECK_PAGE_SIZE = 1000;

    /**
     * A relationship to consider: its reference form, and the object whose export carried it ({@code ownerIsEnd}:
     * the owner itself is an end, not one of its enrollments or events).
     */
    record Pending(String uid, ObjectNode reference, Instant updatedAt, String owner, boolean ownerIsEnd) {
    }

    /**
     * An object of the stage that carried relationships; {@code changed}: changed since it was last settled;
     * {@code resend}: an operator asked to send it again (its relationships go again with it).
     */
    record Owner(String uid, TrackerType type, Instant updatedAt, boolean changed, boolean resend) {
    }

    private final Map<String, Pending> collected = new LinkedHashMap<>();
    private final Map<String, Owner> owners = new LinkedHashMap<>();
    private final Set<String> unconfirmedOwners = ConcurrentHashMap.newKeySet();
    private Map<String, ItemState> states = Map.of();
    private final Deque<Owner> checks = new ArrayDeque<>();
    private final Map<String, Set<String>> live = new HashMap<>();
    private Owner checking;
    private int checksFailed;
    /** The pages of the pass and their figures. */
    final RelationshipPages pages = new RelationshipPages();

    /**
     * The live relationships exported with a top-level object (tracked entity or event), its enrollments and their
     * events. A deleted object's relationships went with it; relationships marked deleted travel with their
     * tracked entity's DELETE import.
     */
    void collect(ObjectNode owner, Member self, boolean changed, boolean resend) {
        if (self.deleted()) {
            return;
        }
        Owner o = new Owner(self.uid(), self.type(), self.updatedAt(), changed, resend);
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
        pages.begin();
        states = books.states(TrackerType.RELATIONSHIP, collected.keySet());
        Set<String> toCheck = new HashSet<>();
        for (Pending p : collected.values()) {
            Owner o = owners.get(p.owner());
            if (p.ownerIsEnd() && !unconfirmedOwners.contains(o.uid())
                    && (o.changed() || TrackerSelection.needsSending(states.get(p.uid()), p.updatedAt()))) {
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
                    pages.add(new RelationshipPages.Send(p, o, true));
                    marks.add(new Settlement(TrackerType.RELATIONSHIP, p.uid(), o.updatedAt(), SyncState.TO_DELETE,
                            true, null, List.of()));
                }
            } else if (o.resend() || TrackerSelection.needsSending(s, p.updatedAt())) {
                pages.add(new RelationshipPages.Send(p, o, false));
                SyncState mark = s == null || s.lastSynchronized() == null ? SyncState.TO_POST : SyncState.TO_UPDATE;
                marks.add(new Settlement(TrackerType.RELATIONSHIP, p.uid(), p.updatedAt(), mark, true, null,
                        List.of()));
            }
        }
        collected.clear();
        books.settle(pass.run.id(), marks);
    }

    /** End of the pass: the run's figures for relationships, apart from those of the stage's objects. */
    void finish(TrackerPass pass) {
        if (checksFailed > 0) {
            pass.run.recordFailure("relationships of " + checksFailed + " objects could not be read from the local "
                    + "server (read again next run)");
        }
        pages.finish(pass);
    }
}
