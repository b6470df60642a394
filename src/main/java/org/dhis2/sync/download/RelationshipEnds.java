package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.tracker.RelationshipReference;

/**
 * The relationships of the tracked entities a download read, imported at the end of the run by reference, once
 * both ends exist locally. An end that is neither on the local instance nor downloaded by this run (outside the
 * capture scope: an incomplete RELATIONSHIP end, as the Android SDK calls it) is fetched from central one by one,
 * without its own relationships.
 */
final class RelationshipEnds {

    /** One relationship to import: by reference, with central's updatedAt, its owner and its tracked entity ends. */
    record Collected(String uid, ObjectNode ref, Instant centralUpdatedAt, String owner, Set<String> ends) {
    }

    private final Map<String, Collected> collected = new LinkedHashMap<>();
    private final Map<String, DownloadPass.Cursor> ownerCursor = new HashMap<>();
    private final Deque<List<String>> checks = new ArrayDeque<>();
    private final Set<String> presentLocally = new HashSet<>();
    private final Set<String> unknown = new HashSet<>();
    private List<String> checking = List.of();

    /** Collects the relationships of a tracked entity read from central (its own, its enrollments', its events'). */
    void collect(ObjectNode te, DownloadPass.Cursor cursor, Instant teCentralUpdatedAt) {
        String owner = te.path("trackedEntity").asText();
        if (cursor != null) {
            ownerCursor.putIfAbsent(owner, cursor);
        }
        scan(te.path("relationships"), owner, teCentralUpdatedAt);
        for (JsonNode en : te.path("enrollments")) {
            scan(en.path("relationships"), owner, teCentralUpdatedAt);
            for (JsonNode ev : en.path("events")) {
                scan(ev.path("relationships"), owner, teCentralUpdatedAt);
            }
        }
    }

    private void scan(JsonNode relationships, String owner, Instant ownerUpdatedAt) {
        for (JsonNode r : relationships) {
            RelationshipReference.of(r).ifPresent(ref -> {
                Instant t = DownloadImportSteps.time(r);
                Set<String> ends = new LinkedHashSet<>();
                for (String side : new String[] {"from", "to"}) {
                    String te = ref.path(side).path("trackedEntity").path("trackedEntity").asText(null);
                    if (te != null) {
                        ends.add(te);
                    }
                }
                collected.putIfAbsent(ref.path("relationship").asText(), new Collected(ref.path("relationship")
                        .asText(), ref, t != null ? t : ownerUpdatedAt, owner, ends));
            });
        }
    }

    Collected collected(String uid) {
        return collected.get(uid);
    }

    DownloadPass.Cursor cursorOfOwner(String owner) {
        return ownerCursor.get(owner);
    }

    /**
     * Drops the relationships downloaded (or rejected) before at the same central updatedAt: read again with an
     * unchanged owner, they need neither their ends looked up nor an import.
     */
    void dropUnchanged(DownloadBookkeeping records) {
        var seen = records.seen(org.dhis2.sync.tracker.TrackerType.RELATIONSHIP, collected.keySet());
        collected.values().removeIf(c -> {
            DownloadBookkeeping.Seen s = seen.get(c.uid());
            return s != null && s.state() != DownloadBookkeeping.State.SKIPPED && c.centralUpdatedAt() != null
                    && c.centralUpdatedAt().equals(s.centralUpdatedAt());
        });
    }

    /** Plans the local look-up of every end this run did not download, in chunks. */
    void planChecks(Set<String> downloaded, int chunk) {
        List<String> ends = collected.values().stream().flatMap(c -> c.ends().stream()).distinct()
                .filter(te -> !downloaded.contains(te)).toList();
        for (int i = 0; i < ends.size(); i += chunk) {
            checks.add(List.copyOf(ends.subList(i, Math.min(ends.size(), i + chunk))));
        }
    }

    boolean hasCheck() {
        return !checks.isEmpty();
    }

    List<String> nextCheck() {
        checking = checks.poll();
        return checking;
    }

    void checked(LocalState local) {
        checking.stream().filter(te -> local.has(org.dhis2.sync.tracker.TrackerType.TRACKED_ENTITY, te))
                .forEach(presentLocally::add);
    }

    /** The local look-up failed: those ends are neither fetched nor trusted to exist. */
    void checkFailed() {
        unknown.addAll(checking);
    }

    /** Ends to fetch from central: not on the local instance, not downloaded, not of a failed look-up. */
    List<String> missing(Set<String> downloaded) {
        return collected.values().stream().flatMap(c -> c.ends().stream()).distinct()
                .filter(te -> !downloaded.contains(te) && !presentLocally.contains(te) && !unknown.contains(te))
                .toList();
    }

    /** An end that could not be fetched: its relationships wait. */
    void unreachable(String te) {
        unknown.add(te);
    }

    /** Relationships whose ends are all known; the others wait (their owners' windows are held). */
    List<Collected> ready(List<Collected> waiting) {
        List<Collected> ready = new ArrayList<>();
        for (Collected c : collected.values()) {
            if (c.ends().stream().anyMatch(unknown::contains)) {
                waiting.add(c);
            } else {
                ready.add(c);
            }
        }
        return ready;
    }

    Set<String> ends(List<Collected> relationships) {
        Set<String> ends = new LinkedHashSet<>();
        relationships.forEach(c -> ends.addAll(c.ends()));
        return ends;
    }
}
