package org.dhis2.sync.download;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;
import org.dhis2.sync.tracker.TrackerBookkeeping;
import org.dhis2.sync.tracker.TrackerBookkeeping.Conflict;
import org.dhis2.sync.tracker.TrackerType;

/**
 * The download's own records (download_item): what it wrote into the local instance, what the local instance
 * rejected (with the conflicts in import_conflict, kinds {@code DOWNLOAD_<TYPE>}), what it skipped and why; and the
 * audit trail of ownership overrides (ownership_override).
 */
final class DownloadBookkeeping {

    enum State { DOWNLOADED, REJECTED, SKIPPED }

    /** What the download last did with an object, and central's updatedAt it saw then. */
    record Seen(Instant centralUpdatedAt, State state) {
    }

    /** One new record. */
    record Entry(TrackerType kind, String uid, String program, Instant centralUpdatedAt, Instant localUpdatedAt,
                 State state, String reason, List<Conflict> conflicts) {
    }

    private final DataSource dataSource;
    private final String syncPair;

    DownloadBookkeeping(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    /** The conflict kind of a download, apart from the push's (import_conflict.kind). */
    static String conflictKind(TrackerType type) {
        return "DOWNLOAD_" + type.name();
    }

    Map<String, Seen> seen(TrackerType kind, Collection<String> uids) {
        Map<String, Seen> result = new HashMap<>();
        if (uids.isEmpty()) {
            return result;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("download-item-select"))) {
            s.setString(1, syncPair);
            s.setString(2, kind.name());
            s.setArray(3, c.createArrayOf("text", uids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    result.put(rs.getString(1), new Seen(t == null ? null : t.toInstant(),
                            State.valueOf(rs.getString(3))));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read download_item: " + e.getMessage(), e);
        }
    }

    /** Writes the records of one batch and their conflicts in one transaction. */
    void record(Long runId, Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement item = c.prepareStatement(SqlFile.get("download-item-upsert"));
                 PreparedStatement conflict = c.prepareStatement(SqlFile.get("tracker-conflict-insert"))) {
                for (Entry e : entries) {
                    item.setString(1, syncPair);
                    item.setString(2, e.kind().name());
                    item.setString(3, e.uid());
                    item.setString(4, e.program());
                    item.setTimestamp(5, timestamp(e.centralUpdatedAt()));
                    item.setTimestamp(6, timestamp(e.localUpdatedAt()));
                    item.setString(7, e.state().name());
                    item.setString(8, e.reason());
                    item.setObject(9, runId);
                    item.addBatch();
                    for (Conflict k : e.conflicts()) {
                        TrackerBookkeeping.addConflict(conflict, runId, syncPair, conflictKind(e.kind()), e.uid(), k);
                    }
                }
                item.executeBatch();
                conflict.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the download: " + e.getMessage(), e);
        }
    }

    /** Audit trail: one ownership override asked of central, granted or not, with central's answer. */
    void recordOverride(Long runId, String trackedEntity, String program, String reason, boolean granted,
                        String answer) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("ownership-override-insert"))) {
            s.setString(1, syncPair);
            s.setObject(2, runId);
            s.setString(3, trackedEntity);
            s.setString(4, program);
            s.setString(5, reason);
            s.setBoolean(6, granted);
            s.setString(7, answer);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the ownership override: " + e.getMessage(), e);
        }
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
