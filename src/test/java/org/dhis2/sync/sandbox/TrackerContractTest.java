package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's tracker answers have the structure of real DHIS2 answers (fixtures in
 * src/test/resources/fixtures/dhis2, see SOURCES-tracker.md). Where a fixture carries fields of another version
 * or optional data, the tolerated difference is listed in the test.
 */
class TrackerContractTest {

    /**
     * DHIS2 always serializes the (empty) warning list (ValidationReport; the e2e test TrackerImporterImportModeTests
     * expects {@code validationReport.warningReports} empty); the Android SDK's fixtures leave it out (TRK-5).
     */
    private static final String WARNINGS_LIST = "validationReport.warningReports";

    private static final String TE_FIELDS = "trackedEntity,trackedEntityType,orgUnit,deleted,attributes[attribute,value]";

    private static void assertShape(JsonNode expected, JsonNode actual, Set<String> tolerateMissing,
                                    Set<String> tolerateExtra) {
        JsonShape.Diff diff = JsonShape.diff(expected, actual);
        assertThat(diff.missing()).as("paths of the fixture missing in the sandbox answer %s", actual)
                .isSubsetOf(tolerateMissing);
        assertThat(diff.extra()).as("paths of the sandbox answer not in the fixture %s", actual)
                .isSubsetOf(tolerateExtra);
        assertThat(diff.mismatched()).as("paths whose kind (object, array, scalar) differs %s", actual).isEmpty();
    }

    @Test
    @Contract("TRK-9")
    void trackedEntityPageOf240HasInstancesAndFlatPager() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            s.storeTrackedEntity("nWrB0TfWlvh", "4081507");
            s.storeTrackedEntity("nWrB0TfWlvD", "654321");
            // 2.40 needs an org unit scope (TRK-3)
            var answer = s.get("/api/tracker/trackedEntities?ouMode=ACCESSIBLE&fields=" + TE_FIELDS);
            assertThat(answer.status()).isEqualTo(200);
            assertShape(JsonShape.fixture("payloads/tracker/new_tracker_importer_tracked_entities_lower_v41.json"),
                    answer.body(), Set.of(), Set.of());
        }
    }

    @Test
    @Contract("TRK-9")
    void trackedEntityPageOf241HasPagerFlatFieldsAndNamedKey() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            s.storeTrackedEntity("nWrB0TfWlvh", "4081507");
            s.storeTrackedEntity("nWrB0TfWlvD", "654321");
            var answer = s.get("/api/tracker/trackedEntities?fields=" + TE_FIELDS);
            assertShape(JsonShape.fixture(
                    "payloads/tracker/new_tracker_importer_tracked_entities_greater_equal_v41.json"),
                    answer.body(), Set.of(), Set.of());
        }
    }

    @Test
    @Contract("TRK-9")
    void trackedEntityPageOf242HasThePagerOnly() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(42)) {
            s.storeTrackedEntity("nWrB0TfWlvh", "4081507");
            var answer = s.get("/api/tracker/trackedEntities?fields=" + TE_FIELDS);
            // the 2.41 fixture minus the deprecated flat page fields, which 2.42 removed
            assertShape(JsonShape.fixture(
                    "payloads/tracker/new_tracker_importer_tracked_entities_greater_equal_v41.json"),
                    answer.body(), Set.of("page", "pageSize"), Set.of());
        }
    }

    @Test
    void eventPageOf240UsesNewFieldNames() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            storeEventWithGeometry(s);
            String fields = "attributeOptionCombo,programStage,orgUnit,scheduledAt,program,event,status,occurredAt,"
                    + "createdAt,completedAt,updatedAt,deleted,geometry,dataValues[updatedAt,createdAt,dataElement,"
                    + "value,providedElsewhere]";
            var answer = s.get("/api/tracker/events?fields=" + fields);
            assertShape(JsonShape.fixture("payloads/tracker/new_tracker_importer_events_1.json"),
                    answer.body(), Set.of(), Set.of());
        }
    }

    @Test
    void oldEventPageWithTotalPagesHasTheFullPager() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            storeEventWithGeometry(s);
            String fields = "attributeOptionCombo,programStage,orgUnit,dueDate,program,event,status,eventDate,created,"
                    + "completedDate,lastUpdated,deleted,dataValues[lastUpdated,created,dataElement,value,"
                    + "providedElsewhere]";
            var answer = s.get("/api/events?totalPages=true&fields=" + fields);
            // the fixture's "coordinate" is the pre-2.30 point format; current servers send "geometry"
            assertShape(JsonShape.fixture("payloads/events/events_1.json"), answer.body(),
                    Set.of("events[].coordinate"),
                    Set.of());
        }
    }

    @Test
    void oldTrackedEntityInstancesExportHasOldNamesAndNoPagerByDefault() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            ObjectNode program = s.program("WITH_REGISTRATION");
            String stage = s.stageOf(program, 0);
            String te = teWithEnrollment(s, "nWrB0TfWlvh", "enroll1AAAA", program.path("id").asText())
                    .replace("\"events\":[]", "\"events\":[{\"event\":\"event1AAAAA\",\"programStage\":\"" + stage
                            + "\",\"orgUnit\":\"" + s.facility() + "\",\"status\":\"COMPLETED\",\"occurredAt\":"
                            + "\"2024-01-02T00:00:00.000\",\"scheduledAt\":\"2024-01-02T00:00:00.000\",\"dataValues\":"
                            + "[{\"dataElement\":\"" + s.dataElementsOf(stage).get(0) + "\",\"value\":\"1\"}]}]");
            String other = teWithEnrollment(s, "nWrB0TfWlvD", "enroll2AAAA", program.path("id").asText());
            String relationship = "{\"relationship\":\"AJOytZW7OaI\",\"relationshipType\":\""
                    + s.id(TrackerRefs.RELATIONSHIP_TYPES, 0) + "\",\"from\":{\"trackedEntity\":{\"trackedEntity\":"
                    + "\"nWrB0TfWlvh\"}},\"to\":{\"trackedEntity\":{\"trackedEntity\":\"nWrB0TfWlvD\"}}}";
            var imported = s.post("/api/tracker?async=false", "{\"trackedEntities\":[" + te + "," + other
                    + "],\"relationships\":[" + relationship + "]}");
            assertThat(imported.status()).as(imported.raw()).isEqualTo(200);
            var answer = s.get("/api/trackedEntityInstances?fields=*");
            JsonNode fixture = JsonShape.fixture("payloads/events/tracked_entity_instances.json");
            JsonShape.Diff diff = JsonShape.diff(fixture, answer.body());
            assertThat(answer.body().has("pager")).isFalse();
            // core names are all present; the fixture's optional data (geometry, notes, client dates, hrefs, the
            // legacy "coordinates", relationship names) is data the sandbox world does not hold
            assertThat(diff.missing()).allMatch(p -> p.contains("geometry") || p.contains("notes")
                    || p.contains("AtClient") || p.contains("href") || p.contains("coordinates")
                    || p.contains("relationshipName") || p.contains("storedBy") || p.contains("orgUnitName")
                    || p.contains("completedBy") || p.contains("completedDate"), "missing " + diff.missing());
            assertThat(diff.missing()).doesNotContain("trackedEntityInstances[].trackedEntityInstance",
                    "trackedEntityInstances[].lastUpdated", "trackedEntityInstances[].enrollments[].enrollmentDate",
                    "trackedEntityInstances[].enrollments[].events[].eventDate",
                    "trackedEntityInstances[].programOwners[].ownerOrgUnit");
        }
    }

    // ---------------------------------------------------------------- old imports

    @Test
    void oldEventImportSucceedsWithTheFixtureShape() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            var answer = s.post("/api/events?strategy=SYNC", "{\"events\":[" + s.oldEvent("n62vX8eLI6R") + "]}");
            assertThat(answer.status()).isEqualTo(200);
            assertShape(JsonShape.fixture("import-summaries/event-ok-old.json"), answer.body(), Set.of(), Set.of());
        }
    }

    @Test
    void oldEventImportConflictHasTheFixtureShape() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            s.instance.faults().rejectedUids().addAll(Set.of("STPIK5YTi4f", "sjSyAZLTOfK"));
            var answer = s.post("/api/events?strategy=SYNC",
                    "{\"events\":[" + s.oldEvent("STPIK5YTi4f") + "," + s.oldEvent("sjSyAZLTOfK") + "]}");
            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.body().path("status").asText()).isEqualTo("ERROR");
            assertShape(JsonShape.fixture("import-summaries/event-conflict-old.json"), answer.body(),
                    Set.of(), Set.of());
        }
    }

    @Test
    void oldTeiImportHasTheFixtureShapes() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            String tei = "{\"trackedEntityInstance\":\"%s\",\"trackedEntityType\":\"" + s.teType()
                    + "\",\"orgUnit\":\"" + s.facility() + "\",\"attributes\":[{\"attribute\":\"" + s.attribute(0)
                    + "\",\"value\":\"x\"}]}";
            var answer = s.post("/api/trackedEntityInstances?strategy=SYNC", "{\"trackedEntityInstances\":["
                    + tei.formatted("xiYp4jWt1Np") + "," + tei.formatted("FkLXx3rin3r") + "]}");
            assertThat(answer.status()).isEqualTo(200);
            assertShape(JsonShape.fixture("import-summaries/tei-old.json"), answer.body(), Set.of(), Set.of());
            // the bare ImportSummaries fixture was trimmed by hand (no conflicts, empty enrollment summaries)
            assertShape(JsonShape.fixture("import-summaries/import_summaries.json"), answer.body().path("response"),
                    Set.of(), Set.of("importOptions.reportMode", "importOptions.skipAudit",
                            "importOptions.strictDataElements", "importOptions.skipPatternValidation",
                            "importOptions.ignoreEmptyCollection", "importOptions.force",
                            "importOptions.firstRowIsHeader", "importOptions.skipLastUpdated",
                            "importOptions.mergeDataValues", "importOptions.skipCache", "total",
                            "importSummaries[].conflicts", "importSummaries[].enrollments.importSummaries",
                            "importSummaries[].enrollments.total"));
        }
    }

    @Test
    void nestedEventConflictInTeiImportHasTheFixtureShape() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            String program = s.program("WITH_REGISTRATION").path("id").asText();
            String stage = s.stageOf(s.program("WITH_REGISTRATION"), 0);
            String de = s.dataElementsOf(stage).get(0);
            String tei = "{\"trackedEntityInstance\":\"Rmp5T1vmZ74\",\"trackedEntityType\":\"" + s.teType()
                    + "\",\"orgUnit\":\"" + s.facility() + "\",\"enrollments\":[{\"enrollment\":\"XaBZwKbHVxS\","
                    + "\"program\":\"" + program + "\",\"orgUnit\":\"" + s.facility() + "\",\"enrollmentDate\":"
                    + "\"2024-01-01\",\"incidentDate\":\"2024-01-01\",\"events\":["
                    + "{\"event\":\"xqpUvfxT4PZ\",\"programStage\":\"" + stage + "\",\"orgUnit\":\"" + s.facility()
                    + "\",\"eventDate\":\"2024-01-02\",\"dataValues\":[{\"dataElement\":\"" + de + "\",\"value\":\"1\"}]},"
                    + "{\"event\":\"DB2DLIEi2sX\",\"programStage\":\"" + stage + "\",\"orgUnit\":\"" + s.facility()
                    + "\",\"eventDate\":\"2024-01-02\",\"dataValues\":[{\"dataElement\":\"bx6fsa0t90x\",\"value\":\"1\"}]}"
                    + "]}]}";
            var answer = s.post("/api/trackedEntityInstances?strategy=SYNC", tei);
            JsonNode summary = answer.body().path("response").path("importSummaries").path(0);
            // the fixture (a single-TEI answer) repeats importOptions on the TEI summary; in an ImportSummaries
            // answer only the top level carries them
            JsonNode fixture = JsonShape.fixture("import-summaries/import_summary_with_event_conflicts.json");
            ((ObjectNode) fixture).remove("importOptions");
            assertShape(fixture, summary, Set.of(), Set.of("conflicts", "href",
                    "enrollments.importSummaries[].conflicts", "enrollments.importSummaries[].href",
                    "enrollments.importSummaries[].events.importSummaries[].href",
                    "enrollments.importSummaries[].events.importSummaries[].description",
                    "enrollments.importSummaries[].events.total", "enrollments.total"));
            assertThat(summary.at("/enrollments/importSummaries/0/events/importSummaries/1/conflicts/0/object").asText())
                    .isEqualTo("bx6fsa0t90x");
            assertThat(s.store().get(Kind.EVENT, "xqpUvfxT4PZ")).isPresent();
            assertThat(s.store().get(Kind.EVENT, "DB2DLIEi2sX")).isEmpty();
        }
    }

    // ---------------------------------------------------------------- new importer

    @Test
    @Contract("TRK-10")
    void newImportOkHasTheFixtureShape() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            var answer = s.post("/api/tracker?async=false", "{\"events\":[" + s.newEvent("Y8FRzr4y2jG") + "]}");
            assertThat(answer.status()).isEqualTo(200);
            // bundleReport.status and bundleReport.stats are pre-2.39 fields (dropped by DHIS2, see SOURCES.md)
            assertShape(JsonShape.fixture("tracker-import-reports/event-ok-new.json"), answer.body(),
                    Set.of("bundleReport.status", "bundleReport.stats"), Set.of(WARNINGS_LIST));
        }
    }

    @Test
    @Contract("TRK-10")
    void newImportConflictHasTheFixtureShapeAndArgsFrom241() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            s.instance.faults().rejectedUids().add(s.facility());
            var answer = s.post("/api/tracker?async=false", "{\"events\":[" + s.newEvent("STPIK5YTi4f") + "]}");
            assertThat(answer.status()).isEqualTo(409);
            assertShape(JsonShape.fixture("tracker-import-reports/event-conflict-new.json"), answer.body(),
                    Set.of(), Set.of(WARNINGS_LIST));
            assertThat(answer.body().at("/validationReport/errorReports/0/errorCode").asText()).isEqualTo("E1011");
        }
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            s.instance.faults().rejectedUids().add(s.facility());
            var answer = s.post("/api/tracker?async=false", "{\"events\":[" + s.newEvent("STPIK5YTi4f") + "]}");
            assertShape(JsonShape.fixture("tracker-import-reports/event-conflict-new.json"), answer.body(),
                    Set.of(), Set.of("validationReport.errorReports[].args", WARNINGS_LIST));
        }
    }

    @Test
    void trackedEntityWithEnrollmentErrorIsRejectedWholeInAtomicModeAll() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            var answer = s.post("/api/tracker?async=false", "{\"trackedEntities\":["
                    + teWithEnrollment(s, "Rmp5T1vmZ74", "XJPm2lZzxtq", "IpHINAT79UW") + "]}");
            assertThat(answer.status()).isEqualTo(409);
            assertShape(JsonShape.fixture("tracker-import-reports/tei-with-enrollment-error-new.json"),
                    answer.body(), Set.of(), Set.of(WARNINGS_LIST));
            assertThat(answer.body().at("/validationReport/errorReports/0/errorCode").asText()).isEqualTo("E1069");
            assertThat(answer.body().at("/stats/ignored").asInt()).isEqualTo(2);
            assertThat(answer.body().at("/stats/total").asInt()).isEqualTo(2);
            assertThat(s.store().get(Kind.TRACKED_ENTITY, "Rmp5T1vmZ74")).isEmpty();
        }
    }

    @Test
    void asyncImportAnswersWithTheTrackerJobMessage() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            var answer = s.post("/api/tracker", "{\"events\":[" + s.newEvent("Y8FRzr4y2jG") + "]}");
            assertThat(answer.status()).isEqualTo(200);
            assertShape(JsonShape.fixture("tracker-import-reports/job_response.json"), answer.body(),
                    Set.of(), Set.of());
        }
    }

    // ---------------------------------------------------------------- helpers

    static String teWithEnrollment(TrackerSandboxFixture s, String te, String enrollment, String program) {
        return "{\"trackedEntity\":\"" + te + "\",\"trackedEntityType\":\"" + s.teType() + "\",\"orgUnit\":\""
                + s.facility() + "\",\"attributes\":[{\"attribute\":\"" + s.attribute(0) + "\",\"value\":\"a\"}],"
                + "\"enrollments\":[{\"enrollment\":\"" + enrollment + "\",\"program\":\"" + program
                + "\",\"orgUnit\":\"" + s.facility() + "\",\"enrolledAt\":\"2024-01-01T00:00:00.000\","
                + "\"occurredAt\":\"2024-01-01T00:00:00.000\",\"status\":\"ACTIVE\",\"events\":[]}]}";
    }

    private static void storeEventWithGeometry(TrackerSandboxFixture s) throws Exception {
        ObjectNode event = s.newEvent("V1CerIi3sdL");
        event.put("attributeOptionCombo", "bRowv6yZOF2").put("scheduledAt", "2017-02-28T00:00:00.000")
                .put("completedAt", "2017-02-27T00:00:00.000");
        event.putObject("geometry").put("type", "Point").putArray("coordinates").add(0).add(0);
        var answer = s.post("/api/tracker?async=false&importStrategy=CREATE", "{\"events\":[" + event + "]}");
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
    }
}
