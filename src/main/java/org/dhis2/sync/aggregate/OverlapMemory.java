package org.dhis2.sync.aggregate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;

/**
 * The short memory that lets a stage's window overlap the previous one (sync.window.overlapSeconds) without sending
 * again what did not change: for each object sent whose change time lies in the overlap, its change time and a
 * fingerprint of its content. Pruned as the windows move on.
 */
public final class OverlapMemory {

    /** One object sent: its change time (epoch ms, local server clock) and content fingerprint. */
    public record Sent(long lastUpdated, String fingerprint) {
    }

    /** A row to remember. */
    public record Row(String key, long lastUpdated, String fingerprint) {
    }

    private final DataSource dataSource;
    private final String syncPair;

    public OverlapMemory(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    public Map<String, Sent> load(String stage) {
        Map<String, Sent> sent = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("overlap-memory-select"))) {
            s.setString(1, syncPair);
            s.setString(2, stage);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sent.put(rs.getString(1), new Sent(rs.getTimestamp(2).toInstant().toEpochMilli(),
                            rs.getString(3)));
                }
            }
            return sent;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read what " + stage + " sent in its last window: "
                    + e.getMessage(), e);
        }
    }

    public void remember(String stage, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("overlap-memory-upsert"))) {
            c.setAutoCommit(false);
            for (Row r : rows) {
                s.setString(1, syncPair);
                s.setString(2, stage);
                s.setString(3, r.key());
                s.setTimestamp(4, Timestamp.from(Instant.ofEpochMilli(r.lastUpdated())));
                s.setString(5, r.fingerprint());
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remember what " + stage + " sent: " + e.getMessage(), e);
        }
    }

    /** Forgets what changed before {@code before}: the next window does not reach back that far. */
    public void prune(String stage, Instant before) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("overlap-memory-prune"))) {
            s.setString(1, syncPair);
            s.setString(2, stage);
            s.setTimestamp(3, Timestamp.from(before));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune what " + stage + " sent: " + e.getMessage(), e);
        }
    }
}
