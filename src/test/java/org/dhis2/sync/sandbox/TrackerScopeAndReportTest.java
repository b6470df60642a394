package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;

/**
 * Tracker behaviours the sync engine depends on, as DHIS2's source has them (CONTRACT.md, TRK rows): where
 * skipSynchronization lives, the org unit scope of the exports per version, the report mode that carries warnings,
 * the tracked entity's updatedAt moving with its nested objects, and an import that commits after its timestamp.
 */
class TrackerScopeAndReportTest {

    private static final String PRIVATE_NOTE = "TRK Private note";

    @Test
    @Contract({"TRK-1", "TRK-2"})
    void skipSynchronizationIsOnTheAttributeAndOnTheStageDataElement() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            JsonNode attributes = s.get("/api/trackedEntityAttributes?fields=id,name,skipSynchronization&paging=false")
                    .body().path("trackedEntityAttributes");
            assertThat(attributes.size()).isPositive();
            for (JsonNode a : attributes) {
                assertThat(a.path("skipSynchronization").isBoolean()).as(a.toString()).isTrue();
                assertThat(a.path("skipSynchronization").asBoolean())
                        .isEqualTo(PRIVATE_NOTE.equals(a.path("name").asText()));
            }
            JsonNode programs = s.get("/api/programs?paging=false").body().path("programs");
            assertThat(programs.findValues("programTrackedEntityAttributes")).isNotEmpty();
            for (JsonNode links : programs.findValues("programTrackedEntityAttributes")) {
                links.forEach(l -> assertThat(l.has("skipSynchronization")).as(l.toString()).isFalse());
            }
            JsonNode stages = s.get("/api/programStages?paging=false").body().path("programStages");
            assertThat(stages.findValues("programStageDataElements").stream()
                    .flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
                    .map(psde -> psde.path("skipSynchronization").asText()).distinct().toList())
                    .containsExactlyInAnyOrder("true", "false");
        }
    }

    @Test
    @Contract("TRK-3")
    void trackedEntitiesWithoutOrgUnitScopeAre409On239And240() throws Exception {
        for (int minor : new int[] {39, 40}) {
            try (TrackerSandboxFixture s = new TrackerSandboxFixture(minor)) {
                s.storeTrackedEntity("teScopeAAAA", "1");
                String type = "/api/tracker/trackedEntities?trackedEntityType=" + s.teType();
                var none = s.get(type);
                assertThat(none.status()).as("2.%d", minor).isEqualTo(409);
                assertThat(none.body().path("message").asText())
                        .isEqualTo("At least one organisation unit must be specified");
                // 2.39/2.40 know the scope as ouMode only
                assertThat(s.get(type + "&orgUnitMode=ACCESSIBLE").status()).isEqualTo(409);
                var accessible = s.get(type + "&ouMode=ACCESSIBLE");
                assertThat(accessible.status()).isEqualTo(200);
                assertThat(accessible.raw()).contains("teScopeAAAA");
                assertThat(s.get(type + "&orgUnit=" + s.facility()).status()).isEqualTo(200);
                assertThat(s.get(type + "&trackedEntity=teScopeAAAA").status()).isEqualTo(200);
                // events need no org unit on these versions
                assertThat(s.get("/api/tracker/events").status()).isEqualTo(200);
            }
        }
    }

    @Test
    @Contract("TRK-4")
    void from241TheScopeDefaultsToAccessibleAndOrgUnitModeIsTheName() throws Exception {
        for (int minor : new int[] {41, 42}) {
            try (TrackerSandboxFixture s = new TrackerSandboxFixture(minor)) {
                s.storeTrackedEntity("teScopeAAAA", "1");
                String type = "/api/tracker/trackedEntities?trackedEntityType=" + s.teType();
                assertThat(s.get(type).raw()).as("2.%d", minor).contains("teScopeAAAA");
                assertThat(s.get(type + "&orgUnitMode=ACCESSIBLE").raw()).contains("teScopeAAAA");
                var withOrgUnit = s.get(type + "&orgUnitMode=ACCESSIBLE&orgUnit=" + s.facility());
                assertThat(withOrgUnit.status()).isEqualTo(400);
                assertThat(withOrgUnit.body().path("message").asText())
                        .startsWith("orgUnitMode ACCESSIBLE cannot be used with orgUnits");
                assertThat(s.get(type + "&orgUnitMode=SELECTED").status()).isEqualTo(400);
            }
        }
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            var both = s.get("/api/tracker/trackedEntities?trackedEntityType=" + s.teType()
                    + "&ouMode=ACCESSIBLE&orgUnitMode=ACCESSIBLE");
            assertThat(both.status()).isEqualTo(400);
            assertThat(both.body().path("message").asText()).contains("'ouMode' and 'orgUnitMode'");
        }
    }

    /** An event of the event program assigned to a user, in a stage that does not enable user assignment. */
    private static String assignedEvent(TrackerSandboxFixture s, String uid, String username) {
        ObjectNode event = s.newEvent(uid);
        event.putObject("assignedUser").put("username", username);
        return "{\"events\":[" + event + "]}";
    }

    @Test
    @Contract("TRK-5")
    void warningsTravelOnlyWithReportModeWarningsOrFull() throws Exception {
        for (int minor : new int[] {39, 42}) {
            try (TrackerSandboxFixture s = new TrackerSandboxFixture(minor)) {
                var errorsOnly = s.post("/api/tracker?async=false", assignedEvent(s, "evWarnAAAAA", "admin"));
                assertThat(errorsOnly.status()).as("2.%d", minor).isEqualTo(200);
                assertThat(errorsOnly.body().at("/validationReport/warningReports").isArray()).isTrue();
                assertThat(errorsOnly.body().at("/validationReport/warningReports").size()).isZero();
                assertThat(s.store().get(Kind.EVENT, "evWarnAAAAA")).isPresent(); // a warning does not block

                for (String mode : List.of("WARNINGS", "FULL")) {
                    var answer = s.post("/api/tracker?async=false&reportMode=" + mode,
                            assignedEvent(s, "evWarnAAAAA", "admin"));
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.body().path("status").asText()).isEqualTo("OK");
                    JsonNode warning = answer.body().at("/validationReport/warningReports/0");
                    assertThat(warning.path("warningCode").asText()).isEqualTo("E1120");
                    assertThat(warning.path("trackerType").asText()).isEqualTo("EVENT");
                    assertThat(warning.path("uid").asText()).isEqualTo("evWarnAAAAA");
                    assertThat(warning.path("message").asText()).contains("does not allow user assignment");
                    assertThat(answer.body().at("/validationReport/errorReports").size()).isZero();
                    assertThat(answer.body().at("/bundleReport/typeReportMap/EVENT/objectReports/0/uid").asText())
                            .isEqualTo("evWarnAAAAA");
                }
                // an unknown user is an error, the stage's warning comes along
                var unknown = s.post("/api/tracker?async=false&reportMode=WARNINGS",
                        assignedEvent(s, "evWarnBBBBB", "nobody"));
                assertThat(unknown.status()).isEqualTo(409);
                assertThat(unknown.body().at("/validationReport/errorReports/0/errorCode").asText())
                        .isEqualTo("E1118");
            }
        }
    }

    @Test
    @Contract("TRK-6")
    void nestedImportsMoveTheTrackedEntitysUpdatedAt() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            var program = s.program("WITH_REGISTRATION");
            String te = TrackerContractTest.teWithEnrollment(s, "teBumpAAAAA", "enBumpAAAAA",
                    program.path("id").asText());
            assertThat(s.post("/api/tracker?async=false", "{\"trackedEntities\":[" + te + "]}").status())
                    .isEqualTo(200);
            Instant before = s.store().get(Kind.TRACKED_ENTITY, "teBumpAAAAA").orElseThrow().updatedAt();

            String event = "{\"events\":[{\"event\":\"evBumpAAAAA\",\"enrollment\":\"enBumpAAAAA\",\"program\":\""
                    + program.path("id").asText() + "\",\"programStage\":\"" + s.stageOf(program, 0)
                    + "\",\"orgUnit\":\"" + s.facility() + "\",\"occurredAt\":\"2024-02-01T00:00:00.000\"}]}";
            assertThat(s.post("/api/tracker?async=false", event).status()).isEqualTo(200);
            Instant afterEvent = s.store().get(Kind.TRACKED_ENTITY, "teBumpAAAAA").orElseThrow().updatedAt();
            assertThat(afterEvent).isAfter(before);
            assertThat(afterEvent).isAfterOrEqualTo(s.store().get(Kind.EVENT, "evBumpAAAAA").orElseThrow()
                    .updatedAt());

            String enrollment = "{\"enrollments\":[{\"enrollment\":\"enBumpAAAAA\",\"trackedEntity\":\"teBumpAAAAA\","
                    + "\"program\":\"" + program.path("id").asText() + "\",\"orgUnit\":\"" + s.facility()
                    + "\",\"enrolledAt\":\"2024-01-01T00:00:00.000\",\"status\":\"COMPLETED\"}]}";
            assertThat(s.post("/api/tracker?async=false", enrollment).status()).isEqualTo(200);
            Instant afterEnrollment = s.store().get(Kind.TRACKED_ENTITY, "teBumpAAAAA").orElseThrow().updatedAt();
            assertThat(afterEnrollment).isAfter(afterEvent);

            assertThat(s.post("/api/tracker?async=false&importStrategy=DELETE",
                    "{\"events\":[{\"event\":\"evBumpAAAAA\"}]}").status()).isEqualTo(200);
            assertThat(s.store().get(Kind.TRACKED_ENTITY, "teBumpAAAAA").orElseThrow().updatedAt())
                    .isAfter(afterEnrollment);
            // the export shows it: an updatedAfter window finds the tracked entity again
            assertThat(s.get("/api/tracker/trackedEntities?trackedEntityType=" + s.teType() + "&updatedAfter="
                    + Dhis2Dates.tracker(afterEnrollment.plusMillis(1))).raw()).contains("teBumpAAAAA");
        }
    }

    @Test
    @Contract("TRK-7")
    void withACommitDelayAnImportAppearsLateWithAnEarlierUpdatedAt() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            s.instance.faults().setTrackerCommitDelay(Duration.ofMillis(600));
            Instant start = s.instance.clock().instant();
            CompletableFuture<TrackerSandboxFixture.Answer> importing = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.post("/api/tracker?async=false", "{\"events\":[" + s.newEvent("evLateAAAAA") + "]}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(250);
            Instant during = s.instance.clock().instant();
            assertThat(s.get("/api/tracker/events").raw()).doesNotContain("evLateAAAAA");
            assertThat(importing.get().status()).isEqualTo(200);
            Instant stamped = s.store().get(Kind.EVENT, "evLateAAAAA").orElseThrow().updatedAt();
            assertThat(stamped).isBetween(start, during);
            // a window that ended while the import was committing finds it only when a later one reaches back
            assertThat(s.get("/api/tracker/events?updatedAfter=" + Dhis2Dates.tracker(during)).raw())
                    .doesNotContain("evLateAAAAA");
            assertThat(s.get("/api/tracker/events?updatedAfter=" + Dhis2Dates.tracker(start)).raw())
                    .contains("evLateAAAAA");
        }
    }

    @Test
    @Contract("TRK-8")
    void enrollmentsAreExportedWithTheirProgramsAttributeValues() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            var program = s.program("WITH_REGISTRATION");
            String te = TrackerContractTest.teWithEnrollment(s, "teAttrAAAAA", "enAttrAAAAA",
                    program.path("id").asText());
            assertThat(s.post("/api/tracker?async=false", "{\"trackedEntities\":[" + te + "]}").status())
                    .isEqualTo(200);
            JsonNode exported = s.get("/api/tracker/trackedEntities?trackedEntity=teAttrAAAAA"
                    + "&fields=*,enrollments[*]").body().path("trackedEntities").path(0);
            JsonNode enrollmentAttributes = exported.at("/enrollments/0/attributes");
            assertThat(enrollmentAttributes.size()).isEqualTo(1);
            assertThat(enrollmentAttributes.path(0).path("attribute").asText()).isEqualTo(s.attribute(0));
            assertThat(enrollmentAttributes.path(0).path("value").asText()).isEqualTo("a");
        }
    }
}
