package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.tracker.TrackerBookkeeping.Conflict;

/**
 * Reads a tracker ImportReport ({@code POST /api/tracker}, async=false) per object, as the Android SDK's
 * JobReportHandler does: error reports (by trackerType and uid) make an object ERROR, warning reports WARNING,
 * object reports of the bundle SYNCED; an object in none of them was not settled. For a DELETE import, "already
 * deleted" and "does not exist" answers count as done.
 */
public final class ImportReportJudge {

    /** DHIS2's "already deleted" codes (TrackerSyncReportUtils) and "does not exist" codes for DELETE. */
    static final Set<String> DELETE_DONE = Set.of("E1082", "E1113", "E1114", "E4017", "E1063", "E1081", "E1032",
            "E4016");

    /** The verdict on one object. */
    public record Verdict(SyncState state, List<Conflict> conflicts) {
    }

    private final Map<String, Verdict> verdicts = new HashMap<>();

    private ImportReportJudge() {
    }

    /** Judges a report; {@code delete} for the DELETE import. The key of the result is {@code TYPE:uid}. */
    public static ImportReportJudge judge(JsonNode report, boolean delete) {
        if (report == null || !report.isObject() || !report.has("status") || report.has("httpStatus")) {
            throw new IllegalArgumentException("not a tracker import report");
        }
        ImportReportJudge j = new ImportReportJudge();
        for (JsonNode type : report.path("bundleReport").path("typeReportMap")) {
            for (JsonNode o : type.path("objectReports")) {
                if (o.path("errorReports").isEmpty()) {
                    j.verdicts.put(key(o.path("trackerType").asText(), o.path("uid").asText()),
                            new Verdict(SyncState.SYNCED, List.of()));
                }
            }
        }
        for (JsonNode w : report.path("validationReport").path("warningReports")) {
            j.add(w, SyncState.WARNING, w.path("warningCode").asText(w.path("errorCode").asText(null)), delete);
        }
        for (JsonNode e : report.path("validationReport").path("errorReports")) {
            j.add(e, SyncState.ERROR, e.path("errorCode").asText(null), delete);
        }
        return j;
    }

    private void add(JsonNode item, SyncState state, String code, boolean delete) {
        String key = key(item.path("trackerType").asText(), item.path("uid").asText());
        if (delete && code != null && DELETE_DONE.contains(code)) {
            verdicts.putIfAbsent(key, new Verdict(SyncState.SYNCED, List.of()));
            return;
        }
        Verdict old = verdicts.get(key);
        List<Conflict> conflicts = new ArrayList<>();
        SyncState s = state;
        if (old != null && old.state() != SyncState.SYNCED) {
            conflicts.addAll(old.conflicts());
            s = SyncState.worst(old.state(), state);
        }
        conflicts.add(new Conflict(item.path("uid").asText(), item.path("message").asText(null), code,
                state.name()));
        verdicts.put(key, new Verdict(s, List.copyOf(conflicts)));
    }

    /** The verdict on an object, or TO_UPDATE when the report does not mention it (sent but not settled). */
    public Verdict of(TrackerType type, String uid) {
        return verdicts.getOrDefault(key(type.name(), uid), new Verdict(SyncState.TO_UPDATE, List.of()));
    }

    private static String key(String type, String uid) {
        return type + ":" + uid;
    }
}
