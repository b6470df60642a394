package org.dhis2.sync.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.dhis2.sync.config.JobSchedule;
import org.dhis2.sync.db.SqlFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What job_run tells about a sync pair's runs on every node of the cluster: which run holds a job's locks, when the
 * job last ended, which run a cron fire started; and closing the runs that a stopped node left RUNNING.
 */
public final class ClusterRuns {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRuns.class);

    /** A run that holds a lock somebody else wanted, as job_run shows it. */
    public record Holder(String jobType, Instant started, String node) {
    }

    /** The last run of a job that ended, on any node. */
    public record Ended(Instant started, Instant finished) {
    }

    private final DataSource dataSource;
    private final String syncPair;

    public ClusterRuns(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    /**
     * Closes as FAILED the runs of job types sharing a stage with this one that job_run still calls RUNNING: called
     * while holding this job's locks, so their nodes stopped before the runs ended. Returns how many it closed.
     */
    public int closeOrphans(String jobType) {
        List<String> types = sharing(jobType);
        String summary = "The node running it stopped before the run ended (found when " + jobType
                + " started on " + RunLocks.NODE + "); what it did not send is sent by the next run.";
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
            s.setArray(2, c.createArrayOf("text", sharing(jobType).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Holder(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            LOG.warn("Cannot read which run holds {}: {}", jobType, e.getMessage());
            return Optional.empty();
        }
    }

    /** A run going on on another node, with its progress tree as that node last saved it (JSON). */
    public record Elsewhere(String jobId, String node, Instant started, String progressJson) {
    }

    /**
     * The runs going on on other nodes of the cluster among these job types, by job type (a dead node's leftover
     * RUNNING row is not one); one query for all of them.
     */
    public Map<String, Elsewhere> runningElsewhere(List<String> jobTypes) {
        Map<String, Elsewhere> runs = new HashMap<>();
        if (jobTypes.isEmpty()) {
            return runs;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-running-elsewhere"))) {
            s.setArray(1, c.createArrayOf("text", jobTypes.toArray()));
            s.setArray(2, c.createArrayOf("text", jobTypes.stream()
                    .map(type -> RunLocks.jobLockName(syncPair, type)).toArray()));
            s.setString(3, syncPair);
            s.setString(4, RunLocks.NODE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.put(rs.getString(1), new Elsewhere(rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            LOG.warn("Cannot read which of {} run on another node: {}", jobTypes, e.getMessage());
        }
        return runs;
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
        JobSchedule.JOB_TYPES.stream()
                .filter(t -> !t.equals(jobType) && JobStages.sharingStages(jobType, List.of(t)).isPresent())
                .forEach(types::add);
        return types;
    }

}
