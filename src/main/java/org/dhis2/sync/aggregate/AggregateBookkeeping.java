package org.dhis2.sync.aggregate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;

/**
 * Bookkeeping of the aggregate stages: stage watermarks (local server time), per-object states of what central
 * rejected or (registrations) what it holds, and the conflicts central reported. Each batch is one transaction.
 */
public final class AggregateBookkeeping {

    /** One object's state change, written after central's answer. */
    public record ItemState(String uid, Instant lastUpdated, String state, String error, String fingerprint) {
    }

    /** A conflict central reported about an object. */
    public record ConflictRow(String uid, String object, String value, String errorCode, String property,
                              String severity) {
    }

    /** What the bookkeeping knows of one object; resendRequested: an operator asked to send it again. */
    public record Known(Instant lastUpdated, String fingerprint, String state, boolean resendRequested) {
    }

    private final DataSource dataSource;
    private final String syncPair;

    public AggregateBookkeeping(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    /** A stage's watermark (local server time) and how long ago (bookkeeping clock) it was written. */
    public record Watermark(Instant serverTime, long elapsedMillis) {
    }

    public Optional<Instant> watermark(String stage) {
        return watermarkWithAge(stage).map(Watermark::serverTime);
    }

    public Optional<Watermark> watermarkWithAge(String stage) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("watermark-select"))) {
            s.setString(1, syncPair);
            s.setString(2, stage);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Watermark(rs.getTimestamp(1).toInstant(), rs.getLong(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the watermark of " + stage + ": " + e.getMessage(), e);
        }
    }

    public void setWatermark(String stage, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("watermark-upsert"))) {
            s.setString(1, syncPair);
            s.setString(2, stage);
            s.setTimestamp(3, Timestamp.from(at));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the watermark of " + stage + ": " + e.getMessage(), e);
        }
    }

    /**
     * Objects of a kind whose last change central rejected (state ERROR/WARNING): uid → that change's time. An object
     * an operator asked to re-send is listed with the time {@link Instant#EPOCH}, which matches no change, so it is sent
     * (and its new state recorded) even when unchanged.
     */
    public Map<String, Instant> openConflicts(String kind) {
        Map<String, Instant> open = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("sync-item-select-open"))) {
            s.setString(1, syncPair);
            s.setString(2, kind);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    open.put(rs.getString(1), t == null || rs.getBoolean(3) ? Instant.EPOCH : t.toInstant());
                }
            }
            return open;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the conflicts of " + kind + ": " + e.getMessage(), e);
        }
    }

    /** Everything the bookkeeping holds for a kind (registrations: fingerprints of what central holds). */
    public Map<String, Known> items(String kind) {
        Map<String, Known> items = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("sync-item-select-kind"))) {
            s.setString(1, syncPair);
            s.setString(2, kind);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    items.put(rs.getString(1), new Known(t == null ? null : t.toInstant(), rs.getString(3),
                            rs.getString(4), rs.getBoolean(5)));
                }
            }
            return items;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the states of " + kind + ": " + e.getMessage(), e);
        }
    }

    /** Records central's verdict on a page in one transaction: object states and the conflicts reported. */
    public void record(String kind, Long runId, List<ItemState> states, List<ConflictRow> conflicts) {
        if (states.isEmpty() && conflicts.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(SqlFile.get("sync-item-upsert"));
                 PreparedStatement ic = c.prepareStatement(SqlFile.get("import-conflict-insert"))) {
                for (ItemState st : states) {
                    s.setString(1, syncPair);
                    s.setString(2, kind);
                    s.setString(3, st.uid());
                    if (st.lastUpdated() == null) {
                        s.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        s.setTimestamp(4, Timestamp.from(st.lastUpdated()));
                    }
                    s.setString(5, st.state());
                    s.setString(6, st.state());
                    s.setString(7, st.error());
                    s.setString(8, st.fingerprint());
                    s.addBatch();
                }
                for (ConflictRow cr : conflicts) {
                    if (runId == null) {
                        ic.setNull(1, Types.BIGINT);
                    } else {
                        ic.setLong(1, runId);
                    }
                    ic.setString(2, syncPair);
                    ic.setString(3, kind);
                    ic.setString(4, cr.uid());
                    ic.setString(5, cr.object());
                    ic.setString(6, cr.value());
                    ic.setString(7, cr.errorCode());
                    ic.setString(8, cr.property());
                    ic.setString(9, cr.severity());
                    ic.addBatch();
                }
                if (!states.isEmpty()) {
                    s.executeBatch();
                }
                if (!conflicts.isEmpty()) {
                    ic.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record central's answer for " + kind + ": " + e.getMessage(), e);
        }
    }
}
