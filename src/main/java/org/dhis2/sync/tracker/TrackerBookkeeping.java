package org.dhis2.sync.tracker;

import java.sql.Array;
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
import java.util.Optional;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;

/**
 * Per-object states of tracker data in sync_item, the conflicts central reported in import_conflict, and the read
 * window of each tracker stage in stage_watermark. Times are the local DHIS2 server's clock.
 */
public final class TrackerBookkeeping {

    /** What the bookkeeping knows about one object. */
    public record ItemState(String uid, Instant lastUpdated, Instant lastSynchronized, SyncState state,
                            boolean resendRequested) {
    }

    /** A new state of one object, with the conflicts that explain it. */
    public record Settlement(TrackerType kind, String uid, Instant updatedAt, SyncState state, boolean sent,
                             String error, List<Conflict> conflicts) {
    }

    /** One conflict: the object, the offending value or message, DHIS2's error code, ERROR or WARNING. */
    public record Conflict(String object, String value, String errorCode, String severity) {
    }

    private final DataSource dataSource;
    private final String syncPair;

    /** The sync pair whose rows this reads and writes. */
    public String pair() {
        return syncPair;
    }

    public TrackerBookkeeping(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    public Map<String, ItemState> states(TrackerType kind, Collection<String> uids) {
        Map<String, ItemState> result = new HashMap<>();
        if (uids.isEmpty()) {
            return result;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("tracker-item-select"))) {
            Array array = c.createArrayOf("text", uids.toArray());
            s.setString(1, syncPair);
            s.setString(2, kind.name());
            s.setArray(3, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), new ItemState(rs.getString(1), instant(rs.getTimestamp(2)),
                            instant(rs.getTimestamp(3)), SyncState.valueOf(rs.getString(4)), rs.getBoolean(5)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read sync_item: " + e.getMessage(), e);
        }
    }

    /** Writes the states of a page (and their conflicts) in one transaction. */
    public void settle(Long runId, Collection<Settlement> settlements) {
        if (settlements.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement item = c.prepareStatement(SqlFile.get("tracker-item-upsert"));
                 PreparedStatement conflict = c.prepareStatement(SqlFile.get("tracker-conflict-insert"))) {
                for (Settlement s : settlements) {
                    item.setString(1, syncPair);
                    item.setString(2, s.kind().name());
                    item.setString(3, s.uid());
                    item.setTimestamp(4, timestamp(s.updatedAt()));
                    item.setTimestamp(5, s.state() == SyncState.SYNCED ? timestamp(s.updatedAt()) : null);
                    item.setString(6, s.state().name());
                    item.setInt(7, s.sent() ? 1 : 0);
                    item.setString(8, s.error());
                    item.addBatch();
                    for (Conflict k : s.conflicts()) {
                        addConflict(conflict, runId, syncPair, s.kind().name(), s.uid(), k);
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
            throw new IllegalStateException("cannot record tracker states: " + e.getMessage(), e);
        }
    }

    /** Adds one conflict to a batch of sql/tracker-conflict-insert.sql. */
    public static void addConflict(PreparedStatement insert, Long runId, String syncPair, String kind, String uid,
                                   Conflict k) throws SQLException {
        insert.setObject(1, runId);
        insert.setString(2, syncPair);
        insert.setString(3, kind);
        insert.setString(4, uid);
        insert.setString(5, k.object());
        insert.setString(6, k.value());
        insert.setString(7, k.errorCode());
        insert.setString(8, k.severity());
        insert.addBatch();
    }

    public Optional<Instant> watermark(String stage) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("tracker-watermark-select"))) {
            s.setString(1, syncPair);
            s.setString(2, stage);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the watermark of " + stage + ": " + e.getMessage(), e);
        }
    }

    public void advanceWatermark(String stage, Instant to) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("tracker-watermark-upsert"))) {
            s.setString(1, syncPair);
            s.setString(2, stage);
            s.setTimestamp(3, timestamp(to));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot move the watermark of " + stage + ": " + e.getMessage(), e);
        }
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
