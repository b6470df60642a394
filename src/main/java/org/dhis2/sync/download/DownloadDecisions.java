package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.download.DownloadBatch.Member;
import org.dhis2.sync.download.DownloadBookkeeping.Entry;
import org.dhis2.sync.download.DownloadBookkeeping.State;
import org.dhis2.sync.tracker.TrackerBookkeeping;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.dhis2.sync.tracker.TrackerType;

/**
 * What of a batch is imported into the local instance: not what central has not changed since it was downloaded,
 * not what holds pending local work ({@link PendingWork}: the object and, inside a tracked entity, each enrollment
 * and event on its own), never a blank value of a local skip-sync attribute or data element. Builds the payload and
 * the list of objects to record after the import.
 */
final class DownloadDecisions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TrackerBookkeeping books;
    private final DownloadBookkeeping records;
    private final PendingWork pending;

    DownloadDecisions(TrackerBookkeeping books, DownloadBookkeeping records, PendingWork pending) {
        this.books = books;
        this.records = records;
        this.pending = pending;
    }

    void trackedEntities(DownloadPass pass, DownloadBatch b, LocalState local, List<Entry> skips) {
        Map<TrackerType, Map<String, ItemState>> states = states(b.objects);
        Map<String, DownloadBookkeeping.Seen> seen = records.seen(TrackerType.TRACKED_ENTITY,
                b.objects.stream().map(o -> o.path("trackedEntity").asText()).toList());
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode out = payload.putArray("trackedEntities");
        String program = b.cursor == null ? pass.uidProgram : b.cursor.program.uid();
        for (ObjectNode te : b.objects) {
            String uid = te.path("trackedEntity").asText();
            Instant central = time(te);
            pass.relationships.collect(te, b.cursor, central);
            DownloadBookkeeping.Seen last = seen.get(uid);
            if (!b.force && last != null && last.state() != State.SKIPPED && central != null
                    && central.equals(last.centralUpdatedAt())) {
                b.unchanged++;
                continue; // read again in the window's overlap, unchanged on central since
            }
            String why = reasonFor(states, local, TrackerType.TRACKED_ENTITY, uid);
            if (why != null) {
                skip(pass, b, skips, TrackerType.TRACKED_ENTITY, uid, program, central, why);
                continue;
            }
            if (!b.force && SameOnLocal.wouldChangeNothing(te, local.trackedEntity(uid).orElse(null), pass.skipSync)) {
                b.unchanged++; // e.g. what this site pushed: central's updatedAt moved, its content is ours
                skips.add(new Entry(TrackerType.TRACKED_ENTITY, uid, program, central,
                        local.updatedAt(TrackerType.TRACKED_ENTITY, uid).orElse(null), State.DOWNLOADED,
                        "already the same on the local instance", List.of()));
                continue;
            }
            b.untouchedLocally.add(uid);
            te.remove("relationships");
            te.remove("programOwners");
            b.toRecord.add(new Member(TrackerType.TRACKED_ENTITY, uid, central, uid));
            for (var ei = te.path("enrollments").elements(); ei.hasNext(); ) {
                ObjectNode en = (ObjectNode) ei.next();
                if (!keep(pass, b, skips, states, local, TrackerType.ENROLLMENT, en, program, uid)) {
                    ei.remove();
                    continue;
                }
                for (var vi = en.path("events").elements(); vi.hasNext(); ) {
                    if (!keep(pass, b, skips, states, local, TrackerType.EVENT, (ObjectNode) vi.next(), program, uid)) {
                        vi.remove();
                    }
                }
            }
            pass.skipSync.stripBlank(te);
            out.add(te);
            pass.downloaded.add(uid);
        }
        b.payload = out.isEmpty() ? null : payload;
    }

    void relationships(DownloadPass pass, DownloadBatch b, LocalState local, List<Entry> skips) {
        List<String> uids = b.objects.stream().map(o -> o.path("relationship").asText()).toList();
        Map<String, ItemState> states = books.states(TrackerType.RELATIONSHIP, uids);
        Map<String, ItemState> ends = books.states(TrackerType.TRACKED_ENTITY, b.localTrackedEntities);
        Map<String, DownloadBookkeeping.Seen> seen = records.seen(TrackerType.RELATIONSHIP, uids);
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode out = payload.putArray("relationships");
        for (ObjectNode ref : b.objects) {
            String uid = ref.path("relationship").asText();
            RelationshipEnds.Collected c = pass.relationships.collected(uid);
            DownloadBookkeeping.Seen last = seen.get(uid);
            if (!b.force && last != null && last.state() != State.SKIPPED && c.centralUpdatedAt() != null
                    && c.centralUpdatedAt().equals(last.centralUpdatedAt())) {
                b.unchanged++;
                continue;
            }
            String why = pending.reason(states.get(uid), local.updatedAt(TrackerType.RELATIONSHIP, uid));
            if (why != null) {
                skip(pass, b, skips, TrackerType.RELATIONSHIP, uid, null, c.centralUpdatedAt(), why);
                continue;
            }
            if (!b.force && local.has(TrackerType.RELATIONSHIP, uid)) {
                b.unchanged++; // DHIS2 relationships are never updated: one the local instance has is this one
                skips.add(new Entry(TrackerType.RELATIONSHIP, uid, null, c.centralUpdatedAt(),
                        local.updatedAt(TrackerType.RELATIONSHIP, uid).orElse(null), State.DOWNLOADED,
                        "already on the local instance", List.of()));
                continue;
            }
            out.add(ref);
            b.toRecord.add(new Member(TrackerType.RELATIONSHIP, uid, c.centralUpdatedAt(), c.owner()));
        }
        for (String te : b.localTrackedEntities) {
            if (local.has(TrackerType.TRACKED_ENTITY, te)
                    && pending.reason(ends.get(te), local.updatedAt(TrackerType.TRACKED_ENTITY, te)) == null) {
                b.untouchedLocally.add(te);
            }
        }
        b.payload = out.isEmpty() ? null : payload;
    }

    /**
     * A nested enrollment or event: kept (its relationships go at the end, by reference) and recorded after the
     * import, or, when it holds pending local work, left out of the payload and listed.
     */
    private boolean keep(DownloadPass pass, DownloadBatch b, List<Entry> skips,
                         Map<TrackerType, Map<String, ItemState>> states, LocalState local, TrackerType type,
                         ObjectNode o, String program, String owner) {
        o.remove("relationships");
        String uid = o.path(type.idField()).asText();
        String why = reasonFor(states, local, type, uid);
        if (why != null) {
            skip(pass, b, skips, type, uid, program, time(o), why);
            return false;
        }
        b.toRecord.add(new Member(type, uid, time(o), owner));
        return true;
    }

    private void skip(DownloadPass pass, DownloadBatch b, List<Entry> skips, TrackerType type, String uid,
                      String program, Instant central, String why) {
        b.skipped++;
        pass.skipped.add(type.idField() + " " + uid + ": " + why);
        skips.add(new Entry(type, uid, program, central, null, State.SKIPPED, why, List.of()));
    }

    private Map<TrackerType, Map<String, ItemState>> states(Collection<ObjectNode> trackedEntities) {
        Map<TrackerType, List<String>> uids = new EnumMap<>(TrackerType.class);
        for (ObjectNode te : trackedEntities) {
            uids.computeIfAbsent(TrackerType.TRACKED_ENTITY, t -> new ArrayList<>())
                    .add(te.path("trackedEntity").asText());
            for (JsonNode en : te.path("enrollments")) {
                uids.computeIfAbsent(TrackerType.ENROLLMENT, t -> new ArrayList<>()).add(en.path("enrollment").asText());
                for (JsonNode ev : en.path("events")) {
                    uids.computeIfAbsent(TrackerType.EVENT, t -> new ArrayList<>()).add(ev.path("event").asText());
                }
            }
        }
        Map<TrackerType, Map<String, ItemState>> states = new EnumMap<>(TrackerType.class);
        uids.forEach((type, list) -> states.put(type, books.states(type, list)));
        return states;
    }

    private String reasonFor(Map<TrackerType, Map<String, ItemState>> states, LocalState local, TrackerType type,
                             String uid) {
        return pending.reason(states.getOrDefault(type, Map.of()).get(uid), local.updatedAt(type, uid));
    }

    private static Instant time(JsonNode o) {
        return DownloadImportSteps.time(o);
    }
}
