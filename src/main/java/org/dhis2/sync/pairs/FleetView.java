package org.dhis2.sync.pairs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.Dhis2Connection;
import org.dhis2.sync.config.JobSchedule;
import org.dhis2.sync.db.SqlFile;
import org.dhis2.sync.job.JobStages;
import org.dhis2.sync.observe.Dhis2HealthCheck;
import org.dhis2.sync.observe.Dhis2Request;

/**
 * GET /api/pairs: every pair with both DHIS2 versions, per job and per stage the last success and the lag since,
 * per object kind what waits to be sent and the open conflicts, and how many metadata versions the local instance
 * is behind central. DHIS2 is asked through the cached readiness checks (one request per instance per
 * sync.health.dhis2.cacheSeconds) and, for metadata, once per central instance in the same period.
 */
public final class FleetView {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource dataSource;
    private final SyncPairs pairs;
    private final Duration cacheFor;
    private final Map<String, Cached> histories = new ConcurrentHashMap<>();

    private record Cached(Instant at, List<CentralVersion> versions) {
    }

    public FleetView(DataSource dataSource, SyncPairs pairs, Duration cacheFor) {
        this.dataSource = dataSource;
        this.pairs = pairs;
        this.cacheFor = cacheFor;
    }

    /** Every pair; the bookkeeping is read once for all of them (three grouped queries, not three per pair). */
    public List<Map<String, Object>> list(Exchange exchange) throws SQLException {
        Instant now = Instant.now();
        Map<String, Map<String, Map<String, Object>>> jobs = jobs(now);
        Map<String, List<Map<String, Object>>> objects = objects();
        Map<String, String> localVersions = localVersions();
        List<Map<String, Object>> answer = new ArrayList<>();
        for (PairBeans pair : pairs.all().values()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("pair", pair.name());
            p.put("local", instance(pairs, pair.settings().local()));
            p.put("central", instance(pairs, pair.settings().central()));
            Map<String, Map<String, Object>> pairJobs = new LinkedHashMap<>();
            JobSchedule.JOB_TYPES.forEach(type -> pairJobs.put(type, jobs.getOrDefault(pair.name(), Map.of())
                    .getOrDefault(type, job(type, null, null, false, now))));
            p.put("jobs", pairJobs.values());
            p.put("stages", stages(pairJobs));
            p.put("objects", objects.getOrDefault(pair.name(), List.of()));
            p.put("metadata", metadata(exchange, pair, Optional.ofNullable(localVersions.get(pair.name()))));
            answer.add(p);
        }
        return answer;
    }

    private static Map<String, Object> instance(SyncPairs pairs, Dhis2Connection c) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("url", c.url());
        Dhis2HealthCheck check = pairs.healthCheck(c.url());
        i.put("version", check == null ? null : check.version().orElse(null));
        return i;
    }

    /** Per pair and job type, the last status and success. */
    private Map<String, Map<String, Map<String, Object>>> jobs(Instant now) throws SQLException {
        Map<String, Map<String, Map<String, Object>>> jobs = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("fleet-job-last"));
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Timestamp success = r.getTimestamp("last_success");
                jobs.computeIfAbsent(r.getString("sync_pair"), pair -> new HashMap<>()).put(r.getString("job_type"),
                        job(r.getString("job_type"), r.getString("last_status"),
                                success == null ? null : success.toInstant(), r.getBoolean("running"), now));
            }
        }
        return jobs;
    }

    private static Map<String, Object> job(String type, String status, Instant success, boolean running,
                                           Instant now) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("jobType", type);
        j.put("lastStatus", status);
        j.put("lastSuccess", success == null ? null : success.toString());
        j.put("lagSeconds", success == null ? null : Duration.between(success, now).toSeconds());
        j.put("running", running);
        return j;
    }

    /** A stage's last success: the newest successful run of any job that runs it. */
    private static List<Map<String, Object>> stages(Map<String, Map<String, Object>> jobs) {
        Map<String, Map<String, Object>> stages = new LinkedHashMap<>();
        for (Map<String, Object> job : jobs.values()) {
            for (String stage : JobStages.of((String) job.get("jobType"))) {
                Map<String, Object> s = stages.computeIfAbsent(stage, name -> {
                    Map<String, Object> fresh = new LinkedHashMap<>();
                    fresh.put("stage", name);
                    fresh.put("lastSuccess", null);
                    fresh.put("lagSeconds", null);
                    return fresh;
                });
                Object success = job.get("lastSuccess");
                if (success != null && (s.get("lastSuccess") == null
                        || ((String) success).compareTo((String) s.get("lastSuccess")) > 0)) {
                    s.put("lastSuccess", success);
                    s.put("lagSeconds", job.get("lagSeconds"));
                }
            }
        }
        return new ArrayList<>(stages.values());
    }

    /** Per pair, per object kind the objects waiting and the open conflicts. */
    private Map<String, List<Map<String, Object>>> objects() throws SQLException {
        Map<String, List<Map<String, Object>>> kinds = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("fleet-items"));
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("kind", r.getString("kind"));
                k.put("pending", r.getLong("pending"));
                k.put("conflicts", r.getLong("conflicts"));
                kinds.computeIfAbsent(r.getString("sync_pair"), pair -> new ArrayList<>()).add(k);
            }
        }
        return kinds;
    }

    /** Local's newest imported version, and how many central has after it (from central's version history). */
    private Map<String, Object> metadata(Exchange exchange, PairBeans pair, Optional<String> local) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("localVersion", local.orElse(null));
        List<CentralVersion> history = history(exchange, pair.settings().central());
        Integer behind = null;
        String centralVersion = null;
        if (history != null) {
            Optional<CentralVersion> base = local.flatMap(name -> history.stream()
                    .filter(v -> v.name().equals(name)).findFirst());
            if (local.isEmpty() || base.isPresent()) { // a local version central does not list: unknown (null)
                behind = (int) history.stream().filter(v -> base.isEmpty()
                        || v.created().compareTo(base.get().created()) > 0).count();
            }
            // DHIS2 lists them in no defined order: the newest by created
            centralVersion = history.stream().max(java.util.Comparator.comparing(CentralVersion::created))
                    .map(CentralVersion::name).orElse(null);
        }
        m.put("centralVersion", centralVersion == null ? local.orElse(null) : centralVersion);
        m.put("versionsBehind", behind);
        return m;
    }

    private record CentralVersion(String name, String created) {
    }

    /**
     * Central's metadata version history, asked once per central (and user) per cache period however many pairs
     * share it; null when central did not answer or the answer was unreadable (the figures are then unknown).
     */
    private List<CentralVersion> history(Exchange exchange, Dhis2Connection central) {
        String key = central.url() + ' ' + central.username();
        Cached cached = histories.get(key);
        if (cached != null && Instant.now().isBefore(cached.at().plus(cacheFor))) {
            return cached.versions();
        }
        List<CentralVersion> versions = null;
        Dhis2Request.Answer answer = Dhis2Request.get(exchange.getContext(), central, "/api/metadata/version/history");
        if (answer.availability().available() && answer.body() != null) {
            try {
                List<CentralVersion> read = new ArrayList<>();
                for (JsonNode v : JSON.readTree(answer.body()).path("metadataversions")) {
                    read.add(new CentralVersion(v.path("name").asText(), v.path("created").asText("")));
                }
                versions = List.copyOf(read);
            } catch (Exception e) {
                // an unreadable history leaves the figures unknown, the rest of the view stands
            }
        }
        histories.put(key, new Cached(Instant.now(), versions));
        return versions;
    }

    /** Per pair, the newest metadata version its local instance imported. */
    private Map<String, String> localVersions() throws SQLException {
        Map<String, String> versions = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("fleet-metadata-local"));
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                versions.put(r.getString(1), r.getString(2));
            }
        }
        return versions;
    }
}
