package org.dhis2.sync.job;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run per job, cluster-wide: PostgreSQL session advisory locks, one per job and one per stage it runs (jobs that
 * share a stage never run together, see {@link JobStages}), held for the whole run on a connection of their own
 * (outside the pool, so a long run never holds a pool slot). A node that dies closes that connection, which frees its
 * locks; the run rows it left RUNNING are closed FAILED by the next start of a job sharing their stages.
 */
public final class RunLocks {

    /** This engine process, as job_run.node records it: {@code <pid>@<host>}. */
    public static final String NODE = ManagementFactory.getRuntimeMXBean().getName();
    private static final Logger LOG = LoggerFactory.getLogger(RunLocks.class);

    /** A run that holds a lock somebody else wanted, as job_run shows it. */
    public record Holder(String jobType, Instant started, String node) {
    }

    /** The last run of a job that ended, on any node. */
    public record Ended(Instant started, Instant finished) {
    }

    private final DataSource dataSource;
    private final String syncPair;
    private final Map<String, List<String>> held = new HashMap<>();
    private Connection connection;

    public RunLocks(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    /** The locks a run of the job takes, in a fixed order: its own, then one per stage. */
    static List<String> names(String syncPair, String jobType) {
        List<String> names = new ArrayList<>();
        names.add(syncPair + "/job/" + jobType);
        new TreeSet<>(JobStages.of(jobType)).forEach(stage -> names.add(syncPair + "/stage/" + stage));
        return names;
    }

    /**
     * Takes every lock of the job; false (holding none) when another node's run holds one of them. A job this node
     * already runs must be refused before (the locks are re-entrant within this node's session).
     */
    public synchronized boolean tryLock(String jobType) {
        if (held.containsKey(jobType)) {
            throw new IllegalStateException(jobType + " holds its run locks already");
        }
        List<String> taken = new ArrayList<>();
        try {
            for (String name : names(syncPair, jobType)) {
                if (!call("run-lock-try", name)) {
                    taken.forEach(this::unlockQuietly);
                    closeWhenIdle();
                    return false;
                }
                taken.add(name);
            }
        } catch (SQLException e) {
            taken.forEach(this::unlockQuietly);
            closeWhenIdle();
            throw new IllegalStateException("cannot take the run lock of " + jobType + ": " + e.getMessage(), e);
        }
        held.put(jobType, taken);
        return true;
    }

    /** Frees the job's locks (at the end of its run). */
    public synchronized void release(String jobType) {
        List<String> names = held.remove(jobType);
        if (names != null) {
            names.forEach(this::unlockQuietly);
        }
        closeWhenIdle();
    }

    /** Whether a run of exactly this job holds its lock on another node (stages shared with other jobs not asked). */
    public synchronized boolean runningElsewhere(String jobType) {
        if (held.containsKey(jobType)) {
            return false;
        }
        String own = names(syncPair, jobType).get(0);
        try {
            if (!call("run-lock-try", own)) {
                return true;
            }
            unlockQuietly(own);
            return false;
        } catch (SQLException e) {
            LOG.warn("Cannot tell whether {} runs on another node: {}", jobType, e.getMessage());
            return false;
        } finally {
            closeWhenIdle();
        }
    }

    /**
     * Closes as FAILED the runs of job types sharing a stage with this one that job_run still calls RUNNING: called
     * while holding this job's locks, so their nodes stopped before the runs ended. Returns how many it closed.
     */
    public int closeOrphans(String jobType) {
        List<String> types = sharing(jobType);
        String summary = "The node running it stopped before the run ended (found when " + jobType
                + " started on " + NODE + "); what it did not send is sent by the next run.";
        int closed = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-orphans-close"))) {
            s.setString(1, summary);
            s.setString(2, syncPair);
            s.setArray(3, c.createArrayOf("text", types.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    closed++;
                    LOG.warn("{} run {} was left RUNNING by {}, which stopped: recorded as FAILED", rs.getString(2),
                            rs.getLong(1), rs.getString(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the runs of stopped nodes: " + e.getMessage(), e);
        }
        return closed;
    }

    /** The running run that keeps the job from starting (this job or one sharing a stage), as job_run tells. */
    public Optional<Holder> holder(String jobType) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-running"))) {
            s.setString(1, syncPair);
            Array types = c.createArrayOf("text", sharing(jobType).toArray());
            s.setArray(2, types);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Holder(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            LOG.warn("Cannot read which run holds {}: {}", jobType, e.getMessage());
            return Optional.empty();
        }
    }

    /** The refusal of a start because a run on another node holds one of the job's locks. */
    public JobAlreadyRunningException refusal(String jobType) {
        Optional<Holder> h = holder(jobType);
        if (h.isEmpty()) {
            return new JobAlreadyRunningException(jobType); // its run is ending or starting right now
        }
        return h.get().jobType().equals(jobType)
                ? new JobAlreadyRunningException(jobType, h.get().started(), h.get().node())
                : new JobAlreadyRunningException(jobType, h.get().jobType(), h.get().started());
    }

    /** The run of the job that ended last, on any node of the cluster. */
    public Optional<Ended> lastEnded(String jobType) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-last-finished"))) {
            s.setString(1, syncPair);
            s.setString(2, jobType);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Ended(rs.getTimestamp(1).toInstant(),
                        rs.getTimestamp(2).toInstant())) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the last run of " + jobType + ": " + e.getMessage(), e);
        }
    }

    /** The node and start of the run the given cron fire started, when one did. */
    public Optional<Holder> runOfFire(String jobType, Instant fire) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-of-fire"))) {
            s.setString(1, syncPair);
            s.setString(2, jobType);
            s.setTimestamp(3, Timestamp.from(fire));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Holder(jobType, rs.getTimestamp(2).toInstant(), rs.getString(1)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            LOG.warn("Cannot read the run of {} due at {}: {}", jobType, fire, e.getMessage());
            return Optional.empty();
        }
    }

    private static List<String> sharing(String jobType) {
        List<String> types = new ArrayList<>(List.of(jobType));
        org.dhis2.sync.config.JobSchedule.JOB_TYPES.stream()
                .filter(t -> !t.equals(jobType) && JobStages.sharingStages(jobType, List.of(t)).isPresent())
                .forEach(types::add);
        return types;
    }

    private boolean call(String sql, String name) throws SQLException {
        try (PreparedStatement s = connection().prepareStatement(SqlFile.get(sql))) {
            s.setString(1, "dhis2-sync run lock " + name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void unlockQuietly(String name) {
        try {
            call("run-lock-release", name);
        } catch (SQLException e) {
            // the connection is gone, and with it the lock
            LOG.warn("Could not release the run lock {}: {}", name, e.getMessage());
        }
    }

    /** The lock session; opened for the first lock and closed when none is held. */
    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = open();
        }
        return connection;
    }

    private void closeWhenIdle() {
        if (held.isEmpty() && connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the run lock connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    private Connection open() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            Properties p = new Properties();
            if (hikari.getUsername() != null) {
                p.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                p.setProperty("password", hikari.getPassword());
            }
            p.setProperty("ApplicationName", "dhis2-sync run locks " + NODE);
            return DriverManager.getConnection(hikari.getJdbcUrl(), p);
        }
        return dataSource.getConnection();
    }
}
