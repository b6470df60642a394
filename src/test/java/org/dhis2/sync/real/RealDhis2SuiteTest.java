package org.dhis2.sync.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dhis2.sync.real.RealDhis2Seed.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine between two real DHIS2 servers (opt-in: {@code bench/real-dhis2.sh}, or {@code mvn test -Preal-dhis2}
 * with servers at {@code -Dreal.local.url} / {@code -Dreal.central.url}). Both are seeded with the same metadata,
 * local gets data through DHIS2's own APIs, central gets metadata versions; every job runs, and the two servers are
 * compared through their APIs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealDhis2SuiteTest {

    static final String USER = System.getProperty("real.username", "admin");
    static final String PASSWORD = System.getProperty("real.password", "district");
    static final List<String> PUSH_JOBS = List.of("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC",
            "TRACKER_PROGRAMS_DATA_SYNC");

    RealDhis2 local;
    RealDhis2 central;
    Engine engine;
    final List<String> trackedEntities = new ArrayList<>();
    final List<String> programEvents = new ArrayList<>();
    String relationship;

    @BeforeAll
    void seed(@TempDir Path temp) throws Exception {
        local = new RealDhis2("local", System.getProperty("real.local.url", "http://127.0.0.1:8180"), USER, PASSWORD);
        central = new RealDhis2("central", System.getProperty("real.central.url", "http://127.0.0.1:8181"), USER,
                PASSWORD);
        JsonNode metadata = metadata();
        for (RealDhis2 server : List.of(local, central)) {
            importMetadata(server, metadata);
            assignRoots(server);
        }
        createVersion(central, "BEST_EFFORT");
        ObjectNode more = RealDhis2.JSON.createObjectNode();
        more.putArray("dataElements").addObject().put("id", uid()).put("name", "RD Added " + uid())
                .put("shortName", "RD Added " + uid()).put("valueType", "NUMBER").put("domainType", "AGGREGATE")
                .put("aggregationType", "SUM");
        importMetadata(central, more);
        createVersion(central, "ATOMIC");
        pointLocalAtCentral(local, central.url, USER, PASSWORD);
        createLocalData();

        Map<String, String> props = new HashMap<>(Map.of("local.url", local.url, "central.url", central.url,
                "local.username", USER, "local.password", PASSWORD, "central.username", USER,
                "central.password", PASSWORD, "sync.dataValues.pageSize", "50", "sync.events.pageSize", "5",
                "sync.tracker.pageSize", "5"));
        engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                TestEngines.routesWith(temp), props)));
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    JobRun run(String jobType) {
        engine.context().createProducerTemplate().send("direct:default.job." + jobType, e -> { });
        return engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class)
                .lastFinished(jobType).orElseThrow();
    }

    // ---------------------------------------------------------------- local data through DHIS2's APIs

    private void createLocalData() {
        ArrayNode values = RealDhis2.JSON.createArrayNode();
        String[] cocs = cocs(local);
        for (String ou : List.of(FACILITY_A, FACILITY_B)) {
            for (int month = 1; month <= 6; month++) {
                String pe = "2024" + String.format("%02d", month);
                for (String coc : cocs) {
                    values.addObject().put("dataElement", CASES).put("period", pe).put("orgUnit", ou)
                            .put("categoryOptionCombo", coc).put("value", String.valueOf(month * 10 + ou.length()));
                }
                values.addObject().put("dataElement", VISITS).put("period", pe).put("orgUnit", ou)
                        .put("value", String.valueOf(month));
            }
        }
        ObjectNode dvs = RealDhis2.JSON.createObjectNode();
        dvs.set("dataValues", values);
        local.post("/api/dataValueSets", dvs).expect(200);
        ObjectNode cdsr = RealDhis2.JSON.createObjectNode();
        ArrayNode regs = cdsr.putArray("completeDataSetRegistrations");
        for (String pe : List.of("202401", "202402")) {
            regs.addObject().put("dataSet", DATA_SET).put("period", pe).put("organisationUnit", FACILITY_A)
                    .put("completed", true);
        }
        local.post("/api/completeDataSetRegistrations", cdsr).expect(200);

        ObjectNode events = RealDhis2.JSON.createObjectNode();
        ArrayNode ev = events.putArray("events");
        for (int i = 0; i < 12; i++) {
            String uid = uid();
            programEvents.add(uid);
            ObjectNode e = ev.addObject().put("event", uid).put("program", EVENT_PROGRAM)
                    .put("programStage", EVENT_STAGE).put("orgUnit", i % 2 == 0 ? FACILITY_A : FACILITY_B)
                    .put("occurredAt", "2024-03-" + String.format("%02d", i + 1)).put("status", "COMPLETED");
            ArrayNode dv = e.putArray("dataValues");
            dv.addObject().put("dataElement", OBSERVATION).put("value", "seen " + i);
            dv.addObject().put("dataElement", SECRET_DATA_ELEMENT).put("value", "private " + i);
        }
        local.track("CREATE_AND_UPDATE", events);

        ObjectNode tracker = RealDhis2.JSON.createObjectNode();
        ArrayNode tes = tracker.putArray("trackedEntities");
        for (int i = 0; i < 11; i++) {
            String te = uid();
            trackedEntities.add(te);
            String generated = local.get("/api/trackedEntityAttributes/" + GENERATED_ID + "/generate").expect(200)
                    .json().path("value").asText();
            ObjectNode t = tes.addObject().put("trackedEntity", te).put("trackedEntityType", PERSON)
                    .put("orgUnit", FACILITY_A);
            ArrayNode attrs = t.putArray("attributes");
            attrs.addObject().put("attribute", NAME).put("value", "Person " + i);
            attrs.addObject().put("attribute", SECRET_ATTRIBUTE).put("value", "positive " + i);
            attrs.addObject().put("attribute", GENERATED_ID).put("value", generated);
            ObjectNode en = t.putArray("enrollments").addObject().put("enrollment", uid())
                    .put("program", TRACKER_PROGRAM).put("orgUnit", FACILITY_A).put("status", "ACTIVE")
                    .put("enrolledAt", "2024-01-01").put("occurredAt", "2024-01-01");
            ObjectNode visit = en.putArray("events").addObject().put("event", uid()).put("programStage", TRACKER_STAGE)
                    .put("orgUnit", FACILITY_A).put("occurredAt", "2024-01-0" + (1 + i % 9)).put("status", "ACTIVE");
            visit.putArray("dataValues").addObject().put("dataElement", SECRET_DATA_ELEMENT).put("value", "hidden");
        }
        relationship = uid();
        ObjectNode rel = tracker.putArray("relationships").addObject().put("relationship", relationship)
                .put("relationshipType", CONTACT);
        rel.putObject("from").putObject("trackedEntity").put("trackedEntity", trackedEntities.get(0));
        rel.putObject("to").putObject("trackedEntity").put("trackedEntity", trackedEntities.get(1));
        local.track("CREATE_AND_UPDATE", tracker);
    }

    private static String[] cocs(RealDhis2 server) {
        JsonNode cc = server.get("/api/categoryCombos/RdCcSex0001?fields=categoryOptionCombos[id]").expect(200).json();
        List<String> ids = new ArrayList<>();
        cc.path("categoryOptionCombos").forEach(c -> ids.add(c.path("id").asText()));
        assertThat(ids).as("category option combos of RD Sex").hasSize(2);
        return ids.toArray(String[]::new);
    }

    // ---------------------------------------------------------------- reading both servers

    static Map<String, String> dataValues(RealDhis2 server) {
        JsonNode set = server.get("/api/dataValueSets?dataSet=" + DATA_SET + "&orgUnit=" + ROOT
                + "&children=true&startDate=2000-01-01&endDate=2030-12-31").expect(200).json();
        Map<String, String> values = new TreeMap<>();
        for (JsonNode v : set.path("dataValues")) {
            if (!v.path("deleted").asBoolean(false)) {
                values.put(v.path("dataElement").asText() + "|" + v.path("period").asText() + "|"
                        + v.path("orgUnit").asText() + "|" + v.path("categoryOptionCombo").asText(),
                        v.path("value").asText());
            }
        }
        return values;
    }

    static Set<String> registrations(RealDhis2 server) {
        JsonNode set = server.get("/api/completeDataSetRegistrations?dataSet=" + DATA_SET + "&orgUnit=" + ROOT
                + "&children=true&startDate=2000-01-01&endDate=2030-12-31").expect(200).json();
        Set<String> keys = new TreeSet<>();
        for (JsonNode r : set.path("completeDataSetRegistrations")) {
            keys.add(r.path("period").asText() + "|" + r.path("organisationUnit").asText() + "|"
                    + r.path("completed").asBoolean(true));
        }
        return keys;
    }

    /** Event UID to its data values (element=value, sorted). */
    static Map<String, String> events(RealDhis2 server) {
        JsonNode page = server.get("/api/tracker/events?program=" + EVENT_PROGRAM + "&orgUnit=" + ROOT
                + "&ouMode=DESCENDANTS&paging=false&fields=event,dataValues[dataElement,value]").expect(200).json();
        Map<String, String> events = new TreeMap<>();
        for (JsonNode e : page.has("events") ? page.path("events") : page.path("instances")) {
            Map<String, String> dv = new TreeMap<>();
            e.path("dataValues").forEach(v -> dv.put(v.path("dataElement").asText(), v.path("value").asText()));
            events.put(e.path("event").asText(), dv.toString());
        }
        return events;
    }

    /** Tracked entity UID to its attributes, enrollments, events and relationships, as one comparable text. */
    static Map<String, JsonNode> trackedEntities(RealDhis2 server) {
        JsonNode page = server.get("/api/tracker/trackedEntities?program=" + TRACKER_PROGRAM + "&orgUnit=" + ROOT
                + "&ouMode=DESCENDANTS&paging=false&fields=trackedEntity,attributes[attribute,value],"
                + RealDhis2.enc("enrollments[enrollment,events[event,dataValues[dataElement,value]]],"
                + "relationships[relationship]")).expect(200).json();
        Map<String, JsonNode> tes = new TreeMap<>();
        for (JsonNode t : page.has("trackedEntities") ? page.path("trackedEntities") : page.path("instances")) {
            tes.put(t.path("trackedEntity").asText(), t);
        }
        return tes;
    }

    static Set<String> attributes(JsonNode te) {
        Set<String> a = new TreeSet<>();
        te.path("attributes").forEach(v -> a.add(v.path("attribute").asText() + "=" + v.path("value").asText()));
        return a;
    }

    /** Central holds what local holds, less what is flagged skipSynchronization. */
    void assertCentralMatchesLocal() {
        assertThat(dataValues(central)).as("data values").isEqualTo(dataValues(local)).isNotEmpty();
        assertThat(registrations(central)).as("complete registrations").isEqualTo(registrations(local));
        Map<String, String> localEvents = events(local);
        Map<String, String> centralEvents = events(central);
        assertThat(centralEvents.keySet()).as("events").isEqualTo(localEvents.keySet());
        localEvents.forEach((uid, dv) -> assertThat(centralEvents.get(uid))
                .isEqualTo(dv.replaceAll(",? ?" + SECRET_DATA_ELEMENT + "=[^,}]*", "").replace("{, ", "{")));
        Map<String, JsonNode> localTes = trackedEntities(local);
        Map<String, JsonNode> centralTes = trackedEntities(central);
        assertThat(centralTes.keySet()).as("tracked entities").isEqualTo(localTes.keySet());
        localTes.forEach((uid, l) -> {
            JsonNode c = centralTes.get(uid);
            Set<String> expected = new TreeSet<>(attributes(l));
            expected.removeIf(a -> a.startsWith(SECRET_ATTRIBUTE + "="));
            assertThat(attributes(c)).as("attributes of %s on central", uid).isEqualTo(expected);
            assertThat(c.path("enrollments").findValuesAsText("enrollment"))
                    .isEqualTo(l.path("enrollments").findValuesAsText("enrollment"));
            assertThat(new TreeSet<>(c.path("enrollments").findValuesAsText("event")))
                    .isEqualTo(new TreeSet<>(l.path("enrollments").findValuesAsText("event")));
            assertThat(new TreeSet<>(c.path("relationships").findValuesAsText("relationship")))
                    .as("relationships of %s", uid)
                    .isEqualTo(new TreeSet<>(l.path("relationships").findValuesAsText("relationship")));
            assertThat(c.toString()).as("nothing skip-sync in %s on central", uid).doesNotContain(SECRET_ATTRIBUTE)
                    .doesNotContain(SECRET_DATA_ELEMENT);
        });
    }

    // ---------------------------------------------------------------- the suite

    @Test
    @Order(1)
    void everyJobSucceedsAndCentralHoldsLocalDataWithoutSkipSyncValues() {
        for (String job : PUSH_JOBS) {
            JobRun run = run(job);
            assertThat(run.status()).as("%s: %s", job, run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        }
        assertCentralMatchesLocal();
        assertThat(trackedEntities(local).get(trackedEntities.get(0)).toString()).contains(SECRET_ATTRIBUTE);
        assertThat(trackedEntities(central).get(trackedEntities.get(0)).path("relationships")
                .findValuesAsText("relationship")).as("the relationship on central").contains(relationship);
        Map<String, String> localEvents = events(local);
        programEvents.forEach(uid -> assertThat(localEvents.get(uid)).as("local event %s", uid)
                .contains(SECRET_DATA_ELEMENT));
    }

    @Test
    @Order(2)
    void metadataVersionsAreAppliedInOrderAndLocalKnowsThem() {
        JobRun run = run("META_DATA_SYNC");
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        List<String> centralNames = names(central);
        assertThat(names(local)).as("versions on local").containsSubsequence(centralNames);
        assertThat(local.get("/api/metadata/version").expect(200).json().path("name").asText())
                .isEqualTo(centralNames.get(centralNames.size() - 1));
    }

    static List<String> names(RealDhis2 server) {
        List<String> names = new ArrayList<>();
        JsonNode history = server.get("/api/metadata/version/history").expect(200).json();
        List<JsonNode> versions = new ArrayList<>();
        history.path("metadataversions").forEach(versions::add);
        versions.sort((a, b) -> a.path("created").asText().compareTo(b.path("created").asText()));
        versions.forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    @Test
    @Order(3)
    void aRunWithNothingChangedSendsNothing() {
        for (String job : PUSH_JOBS) {
            JobRun run = run(job);
            assertThat(run.status()).as("%s: %s", job, run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(run.stageOutcomes().stream().mapToLong(StageOutcome::sent).sum()).as("%s sent", job)
                    .isZero();
        }
    }

    @Test
    @Order(4)
    void localChangesAndDeletionsArrive() {
        String[] cocs = cocs(local);
        ObjectNode dvs = RealDhis2.JSON.createObjectNode();
        dvs.putArray("dataValues").addObject().put("dataElement", CASES).put("period", "202403")
                .put("orgUnit", FACILITY_B).put("categoryOptionCombo", cocs[0]).put("value", "777");
        local.post("/api/dataValueSets", dvs).expect(200);
        ObjectNode del = RealDhis2.JSON.createObjectNode();
        del.putArray("dataValues").addObject().put("dataElement", VISITS).put("period", "202404")
                .put("orgUnit", FACILITY_A);
        local.post("/api/dataValueSets?importStrategy=DELETE", del).expect(200);

        String deletedEvent = programEvents.get(3);
        ObjectNode evDel = RealDhis2.JSON.createObjectNode();
        evDel.putArray("events").addObject().put("event", deletedEvent);
        local.track("DELETE", evDel);

        JsonNode te = local.get("/api/tracker/trackedEntities/" + trackedEntities.get(2) + "?fields=*").expect(200)
                .json();
        ObjectNode changed = RealDhis2.JSON.createObjectNode();
        ObjectNode t = changed.putArray("trackedEntities").addObject()
                .put("trackedEntity", trackedEntities.get(2)).put("trackedEntityType", PERSON)
                .put("orgUnit", te.path("orgUnit").asText());
        ArrayNode attrs = t.putArray("attributes");
        attrs.addObject().put("attribute", NAME).put("value", "Renamed");
        attrs.addObject().put("attribute", SECRET_ATTRIBUTE).put("value", "changed secret");
        local.track("UPDATE", changed);

        for (String job : PUSH_JOBS) {
            JobRun run = run(job);
            assertThat(run.status()).as("%s: %s", job, run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        }
        assertCentralMatchesLocal();
        assertThat(central.get("/api/tracker/events/" + deletedEvent).status()).as("deleted event on central")
                .isEqualTo(404);
        assertThat(dataValues(central)).doesNotContainKey(VISITS + "|202404|" + FACILITY_A + "|"
                + dataValues(local).keySet().stream().filter(k -> k.startsWith(VISITS)).findFirst().orElseThrow()
                .split("\\|")[3]);
    }
}
