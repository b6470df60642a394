package org.dhis2.sync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;
import org.dhis2.sync.job.JobHistory;
import org.dhis2.sync.tracker.SyncState;

/**
 * The admin API's reads of the bookkeeping: job run history and last progress tree, conflicts, per-object states.
 * Lists are paged like DHIS2's ({@code pager} + the collection); parameters arrive as the strings of the request and
 * are checked here, a bad one is a 400 naming it.
 */
public final class AdminQueries {

    private static final Pattern JOB_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final java.util.function.Function<String, JobHistory> histories;

    /**
     * @param histories each pair's job runs as recorded, the same view of "last run" that {@code /api/jobs} uses;
     *                  every query names its sync pair first (the exchange variable pair of the admin call)
     */
    public AdminQueries(DataSource dataSource, java.util.function.Function<String, JobHistory> histories) {
        this.dataSource = dataSource;
        this.histories = histories;
    }

    /** {@code GET /api/jobs/{jobType}/runs}: id, start, end, status, trigger and summary of each run, newest first. */
    public Map<String, Object> jobRuns(String pair, String jobType, String page, String pageSize) {
        return paged(pair, "admin-job-runs", "runs", Paging.of(page, pageSize), jobType(jobType));
    }

    /** {@code GET /api/scheduling/completed/{jobType}}: DHIS2's array of processes of the last ended run
     * (a run a crashed engine left RUNNING counts as ended, as in {@code /api/jobs}). */
    public JsonNode completed(String pair, String jobType) {
        String type = jobType(jobType);
        String progress = histories.apply(pair).lastEndedProgress(type).orElseThrow(
                () -> AdminApiException.notFound("Job " + type + " has not completed a run yet"));
        try {
            return JSON.readTree(progress);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the last run of " + type + ": " + e.getMessage(), e);
        }
    }

    /** {@code GET /api/sync/conflicts}: what central rejected, newest first (filters kind, errorCode, job, since,
     * until: issue 17, the console's conflict filters). */
    public Map<String, Object> conflicts(String pair, String kind, String errorCode, String job, String since,
                                         String until, String page, String pageSize) {
        Paging paging = Paging.of(page, pageSize);
        return paged(pair, "admin-conflicts", "conflicts", paging,
                ConflictFilters.of(kind, errorCode, job, since, until));
    }

    /** {@code GET /api/sync/items}: per-object bookkeeping rows (tracker objects, rejected aggregate keys). */
    public Map<String, Object> items(String pair, String state, String kind, String page, String pageSize) {
        Paging paging = Paging.of(page, pageSize);
        String s = ItemKinds.oneOf("state", state, Arrays.stream(SyncState.values()).map(Enum::name).toList());
        return paged(pair, "admin-items", "items", paging, s, ItemKinds.oneOf("kind", kind, ItemKinds.ITEMS));
    }

    // issue 17: the request ledger
    /** {@code GET /api/requests}: calls to DHIS2, newest first (filters run, status, since). */
    public Map<String, Object> requests(String pair, String run, String status, String since, String page,
                                        String pageSize) {
        Paging paging = Paging.of(page, pageSize);
        return paged(pair, "admin-requests", "requests", paging, RequestFilters.of(run, status, since));
    }

    /** {@code GET /api/jobs/runs/{jobId}/requests}: the calls of one run, newest first. */
    public Map<String, Object> runRequests(String pair, String jobId, String status, String since, String page,
                                           String pageSize) {
        if (RequestFilters.run(jobId) == null) {
            throw AdminApiException.badParameter("jobId", "is required");
        }
        return requests(pair, jobId, status, since, page, pageSize);
    }

    static String jobType(String jobType) {
        if (jobType == null || !JOB_TYPE.matcher(jobType).matches()) {
            throw AdminApiException.badParameter("jobType", "must be a job type such as DATA_SYNC");
        }
        return jobType;
    }

    /** Runs {@code sql/<name>-count.sql} and {@code sql/<name>-page.sql} with the sync pair and the filters. */
    private Map<String, Object> paged(String pair, String name, String collection, Paging paging,
                                      Object... filters) {
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement(SqlFile.get(name + "-count"))) {
                bind(s, pair, filters);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SqlFile.get(name + "-page"))) {
                int i = bind(s, pair, filters);
                s.setInt(i++, paging.pageSize());
                s.setLong(i, paging.offset());
                try (ResultSet rs = s.executeQuery()) {
                    rows.addAll(rowsOf(rs));
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pager", paging.pager(total));
            answer.put(collection, rows);
            return answer;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + collection + ": " + e.getMessage(), e);
        }
    }

    /** Every row of the result as column label → value (times as Instants), for JSON answers. */
    public static List<Map<String, Object>> rowsOf(ResultSet rs) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int col = 1; col <= meta.getColumnCount(); col++) {
                Object v = rs.getObject(col);
                row.put(meta.getColumnLabel(col), v instanceof Timestamp t ? t.toInstant() : v);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Binds the sync pair and the filters; returns the next parameter index. */
    private int bind(PreparedStatement s, String pair, Object... filters) throws SQLException {
        int i = 1;
        s.setString(i++, pair);
        for (Object f : filters) {
            s.setObject(i++, f);
        }
        return i;
    }
}
