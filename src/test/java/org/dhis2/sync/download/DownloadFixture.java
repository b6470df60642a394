package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dhis2.sync.engine.SyncedPair;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.dhis2.sync.sandbox.Uids;

/**
 * A generated sandbox pair, an engine, and the edits a download test makes: through each instance's own
 * {@code POST /api/tracker} (so DHIS2's stamping and bumping apply), and the engine's bookkeeping read back.
 */
final class DownloadFixture extends SyncedPair {

    static final String DOWNLOAD = "TRACKER_DOWNLOAD";
    static final String PUSH = "TRACKER_PROGRAMS_DATA_SYNC";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DownloadFixture(SyncedPair started) {
        super(started);
    }

    static DownloadFixture start(Path temp, int localVersion, int centralVersion,
                                 Function<SandboxPair, Map<String, String>> overrides) throws Exception {
        return new DownloadFixture(SyncedPair.startSyncing(temp, localVersion, centralVersion, GeneratorSpec.small(),
                pair -> {
                    pair.local().requests().setRecordBodies(true);
                    pair.central().requests().setRecordBodies(true);
                    return overrides.apply(pair);
                }));
    }

    Dhis2Instance local() {
        return pair.local();
    }

    Dhis2Instance central() {
        return pair.central();
    }

    String url(Dhis2Instance instance) {
        return instance == pair.local() ? pair.localServer().url() : pair.centralServer().url();
    }

    /** POSTs a tracker payload to the instance's own importer; fails unless DHIS2 says OK. */
    JsonNode importInto(Dhis2Instance instance, ObjectNode payload) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(instance)
                        + "/api/tracker?async=false&importStrategy=CREATE_AND_UPDATE&atomicMode=OBJECT"))
                .header("Authorization", basic(instance)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode report = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"OK".equals(report.path("status").asText())) {
            throw new AssertionError("import into " + instance.name() + " answered " + r.statusCode() + ": "
                    + r.body());
        }
        return report;
    }

    /** Sets one attribute value of a tracked entity on an instance, through its importer. */
    void setAttribute(Dhis2Instance instance, String te, String attribute, String value) throws Exception {
        Item item = instance.tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow();
        ObjectNode t = JSON.createObjectNode().put("trackedEntity", te)
                .put("trackedEntityType", item.text("trackedEntityType")).put("orgUnit", item.text("orgUnit"));
        t.putArray("attributes").addObject().put("attribute", attribute).put("value", value);
        ObjectNode payload = JSON.createObjectNode();
        payload.putArray("trackedEntities").add(t);
        importInto(instance, payload);
    }

    /** A new tracked entity on the instance like an existing one (same type, org unit, program), with an enrollment. */
    String newTrackedEntityLike(Dhis2Instance instance, String model, String attribute, String value)
            throws Exception {
        Item item = instance.tracker().get(Kind.TRACKED_ENTITY, model).orElseThrow();
        Item enrollment = instance.tracker().children(Kind.ENROLLMENT, model).get(0);
        String uid = Uids.random();
        ObjectNode t = JSON.createObjectNode().put("trackedEntity", uid)
                .put("trackedEntityType", item.text("trackedEntityType")).put("orgUnit", item.text("orgUnit"));
        t.putArray("attributes").addObject().put("attribute", attribute).put("value", value);
        ObjectNode en = t.putArray("enrollments").addObject().put("enrollment", Uids.random())
                .put("program", enrollment.text("program")).put("orgUnit", enrollment.text("orgUnit"))
                .put("trackedEntity", uid).put("status", "ACTIVE")
                .put("enrolledAt", enrollment.text("enrolledAt")).put("occurredAt", enrollment.text("occurredAt"));
        en.putArray("attributes");
        ObjectNode payload = JSON.createObjectNode();
        payload.putArray("trackedEntities").add(t);
        importInto(instance, payload);
        return uid;
    }

    /** The value of an attribute of a tracked entity on an instance (null when it has none). */
    static String attribute(Dhis2Instance instance, String te, String attribute) {
        for (JsonNode a : instance.tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow().body().path("attributes")) {
            if (attribute.equals(a.path("attribute").asText())) {
                return a.path("value").asText(null);
            }
        }
        return null;
    }

    /** Live tracked entities of an instance, oldest first. */
    static List<String> trackedEntities(Dhis2Instance instance) {
        List<String> uids = new ArrayList<>();
        instance.tracker().query(Kind.TRACKED_ENTITY, null, null, i -> !i.deleted(), false, 0, -1, false).items()
                .forEach(i -> uids.add(i.uid()));
        return uids;
    }

    /** The tracked entity UIDs in the bodies of the imports the instance received since request number {@code after}. */
    static List<String> importedTrackedEntities(Dhis2Instance instance, long after) throws Exception {
        List<String> uids = new ArrayList<>();
        for (var e : instance.requests().matching("POST", "/api/tracker")) {
            if (e.number() > after && e.path().equals("/api/tracker")) {
                for (JsonNode te : JSON.readTree(e.bodyText()).path("trackedEntities")) {
                    uids.add(te.path("trackedEntity").asText());
                }
            }
        }
        return uids;
    }

    static long lastRequest(Dhis2Instance instance) {
        var all = instance.requests().all();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).number();
    }

    /** A column of the engine's bookkeeping for one object. */
    String bookkeeping(String table, String column, String kind, String uid) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select " + column + " from " + table
                     + " where kind = ? and uid = ?")) {
            s.setString(1, kind);
            s.setString(2, uid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void sql(String statement, Object... params) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    private static String basic(Dhis2Instance instance) {
        return "Basic " + Base64.getEncoder().encodeToString((instance.username() + ":" + instance.password())
                .getBytes(StandardCharsets.UTF_8));
    }
}
