package org.dhis2.sync.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.dhis2.sync.admin.AdminApiException;
import org.dhis2.sync.db.SqlFile;

/**
 * Admin API reads the console needs and the other endpoints lack (routes/admin-api-console.camel.yaml): one run with
 * its progress tree, the metadata versions with their import reports, and per-stage daily figures.
 */
public final class ConsoleQueries {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}");

    private final DataSource dataSource;

    public ConsoleQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code GET /api/jobs/runs/{jobId}}: the run and its progress tree (DHIS2's array of processes). */
    public Map<String, Object> run(String pair, String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw AdminApiException.badParameter("jobId", "must be a job id as /api/jobs/{jobType}/runs lists them");
        }
        List<Map<String, Object>> rows = rows("console-run", pair, jobId);
        if (rows.isEmpty()) {
            throw AdminApiException.notFound("No run " + jobId + " in pair " + pair);
        }
        Map<String, Object> run = rows.get(0);
        run.put("progress", json(run.get("progress")));
        return run;
    }

    /** {@code GET /api/metadata/versions}: imported and failed versions, newest first, each with its report. */
    public Map<String, Object> metadataVersions(String pair) {
        List<Map<String, Object>> rows = rows("console-metadata-versions", pair);
        rows.forEach(r -> r.put("report", json(r.get("report"))));
        return Map.of("versions", rows);
    }

    /** {@code GET /api/stats/daily?days=}: per job, stage and day the objects sent and the time it took. */
    public Map<String, Object> daily(String pair, String days) {
        int n;
        try {
            n = days == null || days.isBlank() ? 30 : Integer.parseInt(days.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 366) {
            throw AdminApiException.badParameter("days", "must be a number of days from 1 to 366");
        }
        DailyFigures figures = new DailyFigures();
        for (Map<String, Object> run : rows("console-daily-runs", pair, n)) {
            figures.add((String) run.get("jobType"), (java.time.Instant) run.get("started"),
                    json(run.get("progress")));
        }
        return Map.of("days", n, "stages", figures.stages());
    }

    private static JsonNode json(Object text) {
        try {
            return text == null ? null : JSON.readTree((String) text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read a stored JSON document: " + e.getMessage(), e);
        }
    }

    private List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get(sql))) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return org.dhis2.sync.admin.AdminQueries.rowsOf(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the bookkeeping (" + sql + "): " + e.getMessage(), e);
        }
    }
}
