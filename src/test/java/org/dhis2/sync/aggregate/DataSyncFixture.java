package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dhis2.sync.engine.SyncedPair;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;

/** A sandbox pair with generated data and an engine syncing it; helpers to run DATA_SYNC and compare stores. */
final class DataSyncFixture extends SyncedPair {

    static final ObjectMapper JSON = new ObjectMapper();

    private DataSyncFixture(SyncedPair started) {
        super(started);
    }

    static DataSyncFixture start(Path temp, int localVersion, int centralVersion, GeneratorSpec spec,
                                 Map<String, String> overrides) throws Exception {
        return start(temp, localVersion, centralVersion, spec, pair -> overrides);
    }

    /** With settings that depend on the started pair (e.g. central behind a proxy). */
    static DataSyncFixture start(Path temp, int localVersion, int centralVersion, GeneratorSpec spec,
                                 java.util.function.Function<org.dhis2.sync.sandbox.SandboxPair,
                                         Map<String, String>> overrides) throws Exception {
        return new DataSyncFixture(SyncedPair.startSyncing(temp, localVersion, centralVersion, spec, pair -> {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "sync.dataValues.pageSize", "50", "sync.completeRegistrations.pageSize", "50"));
            settings.putAll(overrides.apply(pair));
            return settings;
        }));
    }

    JobRun runJob() {
        return run("DATA_SYNC");
    }

    List<RequestLog.Entry> posts(String path) {
        return pair.central().requests().matching("POST", path);
    }

    /** Keys of the data values in the POSTs to central since the request log was cleared. */
    List<String> postedValueKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (RequestLog.Entry e : posts("/api/dataValueSets")) {
            if (e.bodyText().startsWith(CSV_HEADER)) {
                keys.addAll(csvKeys(e.bodyText()));
                continue;
            }
            JsonNode body = JSON.readTree(e.bodyText());
            for (JsonNode v : body.path("dataValues")) {
                assertThat(v.has("created")).as("created is never sent").isFalse();
                assertThat(v.has("lastUpdated")).as("lastUpdated is never sent").isFalse();
                keys.add(key(v.path("dataElement").asText(), v.path("period").asText(), v.path("orgUnit").asText(),
                        v.path("categoryOptionCombo").asText(), v.path("attributeOptionCombo").asText()));
            }
        }
        return keys;
    }

    static final String CSV_HEADER = "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,"
            + "storedby,lastupdated,comment,followup,deleted\n";

    /** Keys of a CSV page (UIDs and periods never need quoting); lastupdated (column 8) is never sent. */
    static List<String> csvKeys(String csv) {
        List<String> keys = new ArrayList<>();
        for (String row : csv.substring(CSV_HEADER.length()).split("\n")) {
            String[] c = row.split(",", -1);
            assertThat(c[7]).as("lastupdated is never sent").isEmpty();
            keys.add(key(c[0], c[1], c[2], c[3], c[4]));
        }
        return keys;
    }

    static String key(AggregateStore.DataValue v) {
        return key(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(), v.attributeOptionCombo());
    }

    static String key(String de, String pe, String ou, String coc, String aoc) {
        return de + '|' + pe + '|' + ou + '|' + coc + '|' + aoc;
    }

    /** Central holds every local value (value, comment, followup, deleted flag) and nothing else. */
    void assertCentralEqualsLocal() {
        Map<String, AggregateStore.DataValue> central = new HashMap<>();
        pair.central().aggregate().forEach(v -> central.put(key(v), v));
        int live = 0;
        for (AggregateStore.DataValue l : pair.local().aggregate().values()) {
            AggregateStore.DataValue c = central.get(key(l));
            if (l.deleted()) {
                assertThat(c == null || c.deleted()).as("deleted on central: %s", key(l)).isTrue();
                continue;
            }
            live++;
            assertThat(c).as("central has %s", key(l)).isNotNull();
            assertThat(c.deleted()).as("not deleted on central: %s", key(l)).isFalse();
            assertThat(c.value()).as("value of %s", key(l)).isEqualTo(l.value());
            assertThat(c.comment()).as("comment of %s", key(l)).isEqualTo(l.comment());
            assertThat(c.followup()).as("followup of %s", key(l)).isEqualTo(l.followup());
        }
        assertThat(pair.central().aggregate().count()).as("no extra values on central").isEqualTo(live);
    }

    void assertCentralRegistrationsEqualLocal() {
        List<AggregateStore.Registration> local = pair.local().aggregate().registrations();
        assertThat(local).isNotEmpty();
        for (AggregateStore.Registration l : local) {
            var c = pair.central().aggregate().getRegistration(l.dataSet(), l.period(), l.organisationUnit(),
                    l.attributeOptionCombo());
            assertThat(c).as("central registration %s/%s/%s", l.dataSet(), l.period(), l.organisationUnit())
                    .isPresent();
            assertThat(c.get().completed()).isEqualTo(l.completed());
        }
        assertThat(pair.central().aggregate().registrationCount()).isEqualTo(local.size());
    }

    Optional<Instant> watermark() throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select server_time_high from stage_watermark where stage = 'dataValues'");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
        }
    }

    List<Map<String, Object>> query(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
