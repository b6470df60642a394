package org.dhis2.sync.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;

/**
 * The last ended run of a job as job_run recorded it, so a job's last status survives a restart. A run that a
 * previous engine process left RUNNING never ended (the engine stopped or crashed mid-run): it counts as FAILED.
 */
public final class JobHistory {

    /** The end of a run: status SUCCESS or FAILED; finished is null for a run that never ended. */
    public record EndedRun(String status, Instant started, Instant finished) {

        public Long runtimeMillis() {
            return finished == null ? null : finished.toEpochMilli() - started.toEpochMilli();
        }

        static EndedRun of(JobRun run) {
            return new EndedRun(run.status().name(), run.started(), run.finished());
        }
    }

    private final DataSource dataSource;
    private final String syncPair;
    private final Instant processStart = Instant.now();

    public JobHistory(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    public Optional<EndedRun> lastEnded(String jobType) {
        return lastEndedRow(jobType, rs -> {
            String status = rs.getString(1);
            Timestamp finished = rs.getTimestamp(3);
            return new EndedRun("RUNNING".equals(status) ? "FAILED" : status, rs.getTimestamp(2).toInstant(),
                    finished == null ? null : finished.toInstant());
        });
    }

    /**
     * The progress tree (DHIS2's JSON array of processes) of that same run; empty when the job never ran, "[]" for a
     * run that never ended (its tree is written when a run ends).
     */
    public Optional<String> lastEndedProgress(String jobType) {
        return lastEndedRow(jobType, rs -> rs.getString(4) == null ? "[]" : rs.getString(4));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> Optional<T> lastEndedRow(String jobType, Row<T> row) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-last-ended"))) {
            s.setString(1, syncPair);
            s.setString(2, jobType);
            s.setTimestamp(3, Timestamp.from(processStart));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the job history of " + jobType + ": " + e.getMessage(), e);
        }
    }
}
