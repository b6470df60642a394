package org.dhis2.sync.real;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dhis2.sync.sandbox.Contract;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.JsonShape;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sandbox measured against real DHIS2 (opt-in, with {@link RealDhis2SuiteTest}): the same seed and the same
 * requests against a real 2.41 server and the sandbox's 2.41, answers compared field by field (status codes,
 * envelopes, import summaries and reports, export pages, timestamp formats). Every difference found is either fixed
 * in the sandbox or listed in {@link #KNOWN} with its contract-table row; an unlisted difference fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxVersusRealTest {

    /**
     * Differences kept on purpose, each explained by a DIFFERENCE row: request -> the difference lines it may show.
     * SYS-8: system info fields nothing here reads (never those the engine reads).
     */
    static final Map<String, Pattern> KNOWN = Map.of(
            "GET /api/system/info", Pattern.compile(
                    "(missing|extra) \\$\\.(?!version$|serverDate$|serverTimeZoneId$|contextPath$).+"),
            // AGG-17: completeDate of the data set's registration, which nothing here reads
            "GET /api/dataValueSets", Pattern.compile("missing \\$\\.completeDate"),
            // TRK-12: event fields the sandbox's export leaves out
            "GET /api/tracker/events with data", Pattern.compile("missing \\$\\.events\\[\\]\\.(attributeCategoryOptions"
                    + "|attributeOptionCombo|completedAt|completedBy|createdBy|enrollment|followUp|followup|notes"
                    + "|updatedBy)"),
            // TRK-13: the single tracked entity endpoint is not emulated
            "GET /api/tracker/trackedEntities/{uid} with enrollments and relationships", Pattern.compile(".+"));

    RealDhis2 real;
    RealDhis2 sandbox;
    SandboxPair pair;
    final Map<String, List<String>> found = new LinkedHashMap<>();

    @BeforeAll
    void seed() throws Exception {
        real = new RealDhis2("real", System.getProperty("real.local.url", "http://127.0.0.1:8180"),
                RealDhis2SuiteTest.USER, RealDhis2SuiteTest.PASSWORD);
        pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41));
        sandbox = new RealDhis2("sandbox", pair.localServer().url(), "admin", "district");
        JsonNode metadata = RealDhis2Seed.metadata();
        RealDhis2Seed.importMetadata(real, metadata);
        RealDhis2Seed.assignRoots(real);
        RealDhis2Seed.importMetadata(sandbox, metadata);
        pair.local().userOrgUnits().add(RealDhis2Seed.ROOT); // the sandbox has no PATCH /api/users
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    /** One request to both: same status, same JSON shape (or the known difference); the answers for more checks. */
    private RealDhis2.Answer[] compare(String name, java.util.function.Function<RealDhis2, RealDhis2.Answer> request,
                                       String... samePaths) {
        RealDhis2.Answer r = request.apply(real);
        RealDhis2.Answer s = request.apply(sandbox);
        List<String> differences = new ArrayList<>();
        if (r.status() != s.status()) {
            differences.add("status " + r.status() + " vs sandbox " + s.status());
        }
        if (r.body().startsWith("{") && s.body().startsWith("{")) {
            differences.addAll(JsonShape.diff(r.json(), s.json()).describe(Set.of()));
            for (String path : samePaths) { // values that must be equal, not just present
                JsonNode rv = r.json().at(path);
                JsonNode sv = s.json().at(path);
                if (!rv.equals(sv)) {
                    differences.add("value at " + path + ": " + rv + " vs sandbox " + sv);
                }
            }
        }
        found.put(name, differences);
        return new RealDhis2.Answer[] {r, s};
    }

    /** Same requests with data: imports (summaries, reports, counts) and the exports of what was imported. */
    private void compareWithData() {
        String a = RealDhis2Seed.FACILITY_A;
        // a period the real server has no value for yet (it keeps what earlier runs wrote)
        long n = System.nanoTime();
        String period = (1990 + Math.floorMod(n, 30)) + String.format("%02d", 1 + Math.floorMod(n / 30, 12));
        String values = "{\"dataValues\":[{\"dataElement\":\"" + RealDhis2Seed.VISITS
                + "\",\"period\":\"" + period + "\",\"orgUnit\":\"" + a + "\",\"value\":\"5\"},{\"dataElement\":\""
                + RealDhis2Seed.VISITS + "\",\"period\":\"202402\",\"orgUnit\":\"" + a + "\",\"value\":\"abc\"}]}";
        compare("POST /api/dataValueSets one valid, one invalid value", d -> d.post("/api/dataValueSets", values),
                "/status", "/response/status", "/response/importCount", "/response/conflicts/0/errorCode",
                "/response/conflicts/0/indexes", "/response/rejectedIndexes");
        compare("POST /api/dataValueSets the same again", d -> d.post("/api/dataValueSets", values),
                "/status", "/response/importCount");
        RealDhis2.Answer[] export = compare("GET /api/dataValueSets", d -> d.get("/api/dataValueSets?dataSet="
                + RealDhis2Seed.DATA_SET + "&orgUnit=" + a + "&period=" + period));
        timestamps.put("dataValue.lastUpdated", new String[] {
            export[0].json().at("/dataValues/0/lastUpdated").asText(), export[1].json().at("/dataValues/0/lastUpdated")
                .asText()});
        String registration = "{\"completeDataSetRegistrations\":[{\"dataSet\":\"" + RealDhis2Seed.DATA_SET
                + "\",\"period\":\"2023" + String.format("%02d", 1 + (int) (System.nanoTime() % 12)) + "\","
                + "\"organisationUnit\":\"" + RealDhis2Seed.FACILITY_B + "\",\"completed\":true}]}";
        compare("POST /api/completeDataSetRegistrations", d -> d.post("/api/completeDataSetRegistrations",
                registration), "/status", "/response/importCount");

        String event = RealDhis2Seed.uid();
        String events = "{\"events\":[{\"event\":\"" + event + "\",\"program\":\"" + RealDhis2Seed.EVENT_PROGRAM
                + "\",\"programStage\":\"" + RealDhis2Seed.EVENT_STAGE + "\",\"orgUnit\":\"" + a
                + "\",\"occurredAt\":\"2024-03-01\",\"status\":\"COMPLETED\",\"dataValues\":[{\"dataElement\":\""
                + RealDhis2Seed.OBSERVATION + "\",\"value\":\"seen\"}]}]}";
        String imports = "/api/tracker?async=false&atomicMode=OBJECT&reportMode=WARNINGS&importStrategy=CREATE_AND_UPDATE";
        compare("POST /api/tracker a new event", d -> d.post(imports, events), "/status", "/stats");
        compare("POST /api/tracker the same event again", d -> d.post(imports, events), "/status", "/stats");
        RealDhis2.Answer[] eventPage = compare("GET /api/tracker/events with data", d -> d.get(
                "/api/tracker/events?program=" + RealDhis2Seed.EVENT_PROGRAM + "&orgUnit=" + a
                        + "&updatedAfter=2020-01-01&page=1&pageSize=1&fields=*"));
        timestamps.put("event.updatedAt", new String[] {eventPage[0].json().at("/events/0/updatedAt").asText(),
            eventPage[1].json().at("/events/0/updatedAt").asText()});

        String te1 = RealDhis2Seed.uid();
        String te2 = RealDhis2Seed.uid();
        String rel = RealDhis2Seed.uid();
        String tracker = "{\"trackedEntities\":[" + trackedEntity(te1) + "," + trackedEntity(te2) + "],"
                + "\"relationships\":[{\"relationship\":\"" + rel + "\",\"relationshipType\":\""
                + RealDhis2Seed.CONTACT + "\",\"from\":{\"trackedEntity\":{\"trackedEntity\":\"" + te1 + "\"}},"
                + "\"to\":{\"trackedEntity\":{\"trackedEntity\":\"" + te2 + "\"}}}]}";
        compare("POST /api/tracker tracked entities and a relationship", d -> d.post(imports, tracker), "/status",
                "/stats");
        compare("POST /api/tracker the same relationship again", d -> d.post(imports, "{\"relationships\":["
                + "{\"relationship\":\"" + rel + "\",\"relationshipType\":\"" + RealDhis2Seed.CONTACT
                + "\",\"from\":{\"trackedEntity\":{\"trackedEntity\":\"" + te1 + "\"}},\"to\":{\"trackedEntity\":"
                + "{\"trackedEntity\":\"" + te2 + "\"}}}]}"), "/status", "/stats",
                "/validationReport/warningReports/0/warningCode");
        compare("GET /api/tracker/trackedEntities/{uid} with enrollments and relationships", d -> d.get(
                "/api/tracker/trackedEntities/" + te1 + "?fields=*"));
        compare("GET /api/tracker/relationships of a tracked entity", d -> d.get(
                "/api/tracker/relationships?trackedEntity=" + te1));
    }

    private static String trackedEntity(String uid) {
        return "{\"trackedEntity\":\"" + uid + "\",\"trackedEntityType\":\"" + RealDhis2Seed.PERSON
                + "\",\"orgUnit\":\"" + RealDhis2Seed.FACILITY_A + "\",\"attributes\":[{\"attribute\":\""
                + RealDhis2Seed.NAME + "\",\"value\":\"Ann\"}],\"enrollments\":[{\"enrollment\":\""
                + RealDhis2Seed.uid() + "\",\"program\":\"" + RealDhis2Seed.TRACKER_PROGRAM + "\",\"orgUnit\":\""
                + RealDhis2Seed.FACILITY_A + "\",\"status\":\"ACTIVE\",\"enrolledAt\":\"2024-01-01\","
                + "\"occurredAt\":\"2024-01-01\"}]}";
    }

    final Map<String, String[]> timestamps = new LinkedHashMap<>();

    @Test
    @Contract({"SYS-8", "AGG-16", "AGG-17", "TRK-11", "TRK-12", "TRK-13", "TRK-14", "REL-10"})
    void theSandboxAnswersLikeRealDhis2() {
        compare("GET /api/system/info", d -> d.get("/api/system/info"));
        compare("GET /api/system/ping anonymous", d -> new RealDhis2(d.name, d.url, "nobody", "x")
                .get("/api/system/ping"));
        compare("POST /api/dataValueSets unknown data element", d -> d.post("/api/dataValueSets",
                "{\"dataValues\":[{\"dataElement\":\"RdNoSuchDe1\",\"period\":\"202401\",\"orgUnit\":\""
                        + RealDhis2Seed.FACILITY_A + "\",\"value\":\"1\"}]}"));
        compare("POST /api/completeDataSetRegistrations unknown data set", d -> d.post(
                "/api/completeDataSetRegistrations", "{\"completeDataSetRegistrations\":[{\"dataSet\":\"RdNoSuchDs1\","
                        + "\"period\":\"202401\",\"organisationUnit\":\"" + RealDhis2Seed.FACILITY_A
                        + "\",\"completed\":true}]}"));
        compare("POST /api/tracker event of an unknown program", d -> d.post(
                "/api/tracker?async=false&reportMode=WARNINGS", "{\"events\":[{\"event\":\"RdNoSuchEv1\","
                        + "\"program\":\"RdNoSuchPr1\",\"orgUnit\":\"" + RealDhis2Seed.FACILITY_A
                        + "\",\"occurredAt\":\"2024-01-01\",\"status\":\"ACTIVE\"}]}"));
        compare("GET /api/tracker/trackedEntities page", d -> d.get("/api/tracker/trackedEntities?program="
                + RealDhis2Seed.TRACKER_PROGRAM + "&orgUnitMode=ACCESSIBLE&page=1&pageSize=1&totalPages=false"));
        compare("GET /api/tracker/events page", d -> d.get("/api/tracker/events?program="
                + RealDhis2Seed.EVENT_PROGRAM + "&page=1&pageSize=1"));
        compare("GET /api/tracker/relationships of an unknown tracked entity", d -> d.get(
                "/api/tracker/relationships?trackedEntity=RdNoSuchTe1"));

        compareWithData();
        Pattern dataValueTime = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:?\\d\\d)?");
        String realDate = real.get("/api/system/info").json().path("serverDate").asText();
        String sandboxDate = sandbox.get("/api/system/info").json().path("serverDate").asText();
        Pattern format = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(realDate).matches(format);
        assertThat(sandboxDate).as("serverDate format").matches(format);

        Map<String, List<String>> unexplained = new LinkedHashMap<>();
        found.forEach((request, lines) -> {
            List<String> rest = new ArrayList<>(lines);
            Pattern known = KNOWN.get(request);
            if (known != null) {
                rest.removeIf(line -> known.matcher(line).matches());
            }
            if (!rest.isEmpty()) {
                unexplained.put(request, rest);
            }
        });
        assertThat(unexplained).as("differences between real DHIS2 2.41 and the sandbox").isEmpty();
        timestamps.forEach((field, pairOf) -> {
            assertThat(pairOf[0]).as("real %s", field).matches(dataValueTime);
            assertThat(pairOf[1]).as("sandbox %s (real: %s)", field, pairOf[0]).matches(dataValueTime);
            assertThat(pairOf[1].length()).as("%s format like real %s", field, pairOf[0])
                    .isEqualTo(pairOf[0].length());
        });

    }
}
