package org.dhis2.sync.job;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * locks; the run rows it left RUNNING are closed FAILED by the next start of a job sharing their stages
 * ({@link ClusterRuns}).
 */
public final class RunLocks {

    /** This engine process, as job_run.node records it: {@code <pid>@<host>}. */
    public static final String NODE = ManagementFactory.getRuntimeMXBean().getName();
    private static final Logger LOG = LoggerFactory.getLogger(RunLocks.class);
    private static final String LOCK_PREFIX = "dhis2-sync run lock ";

    private final DataSource dataSource;
    private final String syncPair;
    private final Map<String, List<String>> held = new HashMap<>();
    private Connection connection;

    public RunLocks(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    /** The name PostgreSQL's advisory lock of a job's own run lock is made from (run-lock-try.sql). */
    static String jobLockName(String syncPair, String jobType) {
        return LOCK_PREFIX + names(syncPair, jobType).get(0);
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

    /**
     * Whether the job's run held its locks and lost them: the session holding them does not answer (the database
     * restarted, the connection was cut). Then every run of this holder lost its locks with it; they are forgotten
     * here and the next lock opens a new session. False for a job holding nothing (e.g. its run just ended).
     */
    public synchronized boolean lost(String jobType) {
        if (!held.containsKey(jobType)) {
            return false;
        }
        boolean alive;
        try {
            alive = connection != null && connection.isValid(2);
        } catch (SQLException e) {
            alive = false;
        }
        if (!alive) {
            LOG.warn("The run lock session ended; the runs of {} hold no lock any more", held.keySet());
            held.clear();
            closeWhenIdle();
        }
        return !alive;
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

    private boolean call(String sql, String name) throws SQLException {
        try (PreparedStatement s = connection().prepareStatement(SqlFile.get(sql))) {
            s.setString(1, LOCK_PREFIX + name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            dropBrokenConnection(e);
            throw e;
        }
    }

    /** A failed statement may mean a lost session: its locks are gone with it; the next lock opens a new one. */
    private void dropBrokenConnection(SQLException e) {
        try {
            if (connection != null && !connection.isValid(2)) {
                LOG.warn("The run lock session ended ({}); the runs of {} hold no lock any more", e.getMessage(),
                        held.keySet());
                connection.close();
                connection = null;
            }
        } catch (SQLException ignored) {
            connection = null;
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
