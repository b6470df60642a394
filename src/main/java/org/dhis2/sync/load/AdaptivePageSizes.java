package org.dhis2.sync.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page size each push stage uses against central, learned from central's answers: a page refused as too large
 * (413 from a proxy's body limit) or that timed out (502/504 from a gateway, a read timeout) halves the size for the
 * pages after it; {@code growAfter} pages in a row that went through double it again, up to the configured size.
 * The size that worked is kept in PostgreSQL (table adaptive_page_size, key: central URL and stage), so the next
 * run starts with it instead of hitting the limit again.
 *
 * <p>One bean per engine (one central); a stage's parallel pages share its state, hence the locking.
 */
public final class AdaptivePageSizes {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptivePageSizes.class);

    private final DataSource dataSource;
    private final String centralUrl;
    private final int growAfter;
    private final Map<String, State> states = new HashMap<>();

    private static final class State {
        final int configured;
        final int floor;
        int size;
        /** The size in the table (the configured one when no row). */
        int stored;
        int successes;

        State(int configured, int floor, int size) {
            this.configured = configured;
            this.floor = floor;
            this.size = size;
            this.stored = size;
        }
    }

    /**
     * @param growAfter pages in a row that must go through at the current size before it doubles again
     */
    public AdaptivePageSizes(DataSource dataSource, String centralUrl, int growAfter) {
        this.dataSource = dataSource;
        this.centralUrl = centralUrl;
        this.growAfter = growAfter;
    }

    /**
     * A run of {@code stage} starts: its page size is the one learned from central (never above {@code configured}),
     * else the configured one.
     *
     * @param floor pages of this many objects or fewer are never split
     */
    public synchronized int startRun(String stage, int configured, int floor) {
        int learned = load(stage);
        int size = learned > 0 ? Math.min(configured, Math.max(Math.min(floor, configured), learned)) : configured;
        State s = new State(configured, Math.min(floor, configured), size);
        states.put(stage, s);
        if (size < configured) {
            LOG.info("{}: starting with the page size central accepted last time, {} (configured {})", stage, size,
                    configured);
        }
        return size;
    }

    /** The stage's page size now (the configured one when no run of it started). */
    public synchronized int current(String stage, int configured) {
        State s = states.get(stage);
        return s == null ? configured : s.size;
    }

    /** True when a page of {@code objects} may be split in two and sent again (it is above the floor). */
    public synchronized boolean splittable(String stage, int objects) {
        State s = states.get(stage);
        return s != null && objects > s.floor && objects > 1;
    }

    /**
     * A page of {@code objects} went through: a full page at the current size makes that size the one stored (it
     * worked); after {@code growAfter} in a row the size doubles, up to the configured one (stored once it works).
     */
    public synchronized void succeeded(String stage, int objects) {
        State s = states.get(stage);
        if (s == null || objects < s.size) {
            return; // a short page (the last, or a half of a larger one) says nothing about the current size
        }
        if (s.size != s.stored) {
            store(stage, s, s.size);
        }
        if (s.size < s.configured && ++s.successes >= growAfter) {
            s.successes = 0;
            s.size = Math.min(s.configured, s.size * 2);
            LOG.info("{}: {} pages in a row went through, trying pages of {}", stage, growAfter, s.size);
        }
    }

    /** A page of {@code objects} was too large for central or the way to it: the pages after it are at most half. */
    public synchronized void tooLarge(String stage, int objects, String why) {
        State s = states.get(stage);
        if (s == null) {
            return;
        }
        int half = Math.max(s.floor, Math.max(1, objects / 2));
        s.successes = 0;
        if (half < s.size) {
            s.size = half;
            store(stage, s, half);
            LOG.warn("{}: a page of {} was too large for central ({}); page size now {}", stage, objects, why,
                    half);
        }
    }

    private int load(String stage) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("adaptive-page-size-select"))) {
            s.setString(1, centralUrl);
            s.setString(2, stage);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the learned page size of " + stage + ": " + e.getMessage(),
                    e);
        }
    }

    private void store(String stage, State state, int size) {
        state.stored = size;
        boolean back = size >= state.configured;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get(back ? "adaptive-page-size-delete"
                     : "adaptive-page-size-upsert"))) {
            s.setString(1, centralUrl);
            s.setString(2, stage);
            if (!back) {
                s.setInt(3, size);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            // the size in memory still applies to this run; only the next run's start is affected
            LOG.warn("{}: cannot store the learned page size {}: {}", stage, size, e.getMessage());
        }
    }
}
