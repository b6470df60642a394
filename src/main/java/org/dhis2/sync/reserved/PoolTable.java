package org.dhis2.sync.reserved;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;

/** The reserved_value table (V14): a pool's values, its purges, and the hand-out that removes what it gives. */
public final class PoolTable {

    /** A value as central reserved it. */
    public record Value(String key, String value, Instant created, Instant expiryDate, Instant temporalValidity) {
    }

    private final DataSource dataSource;
    private final String syncPair;

    public PoolTable(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    /** Drops expired values; returns how many. */
    public int purgeExpired(Pool pool) {
        return update("reserved-value-purge-expired", pool);
    }

    /** Drops values made with another pattern than the pool's; returns how many. */
    public int purgeOtherPatterns(Pool pool) {
        return update("reserved-value-purge-pattern", pool, pool.pattern());
    }

    public int count(Pool pool) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = prepare(c, "reserved-value-count", pool)) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw failed("count", pool, e);
        }
    }

    /** Stores values central reserved (one transaction); returns how many were new. */
    public int insert(Pool pool, List<Value> values) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int added = 0;
            try (PreparedStatement s = c.prepareStatement(SqlFile.get("reserved-value-insert"))) {
                for (Value v : values) {
                    s.setString(1, syncPair);
                    s.setString(2, pool.attribute());
                    s.setString(3, pool.orgUnitCode());
                    s.setString(4, v.key());
                    s.setString(5, v.value());
                    s.setString(6, pool.pattern());
                    s.setTimestamp(7, Timestamp.from(v.created()));
                    s.setTimestamp(8, Timestamp.from(v.expiryDate()));
                    s.setTimestamp(9, v.temporalValidity() == null ? null : Timestamp.from(v.temporalValidity()));
                    added += s.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            return added;
        } catch (SQLException e) {
            throw failed("store values of", pool, e);
        }
    }

    /**
     * Takes {@code count} valid values out of the pool in one transaction: all of them or none (an empty list when
     * the pool has fewer).
     */
    public List<Value> take(Pool pool, int count) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Value> taken = new ArrayList<>(count);
            try (PreparedStatement s = prepare(c, "reserved-value-take", pool, pool.pattern())) {
                s.setInt(5, count);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        taken.add(new Value(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                                rs.getTimestamp(4).toInstant(), null));
                    }
                }
                if (taken.size() < count) {
                    c.rollback();
                    return List.of();
                }
                c.commit();
                return taken;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("hand out values of", pool, e);
        }
    }

    private int update(String sql, Pool pool, String... more) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, sql, pool, more)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, pool, e);
        }
    }

    private PreparedStatement prepare(Connection c, String sql, Pool pool, String... more) throws SQLException {
        PreparedStatement s = c.prepareStatement(SqlFile.get(sql));
        s.setString(1, syncPair);
        s.setString(2, pool.attribute());
        s.setString(3, pool.orgUnitCode());
        for (int i = 0; i < more.length; i++) {
            s.setString(4 + i, more[i]);
        }
        return s;
    }

    private static IllegalStateException failed(String what, Pool pool, SQLException e) {
        return new IllegalStateException("Reserved values: cannot " + what + " pool " + pool.label() + ": "
                + e.getMessage(), e);
    }
}
