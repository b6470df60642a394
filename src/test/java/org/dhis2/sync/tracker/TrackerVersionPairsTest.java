package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both tracker push stages between versions 2.39-2.42 (each version once as local and once as central, with
 * TrackerProgramsSyncTest 2.41-2.40 and EventProgramsSyncTest 2.40-2.42): the export asks for the org unit scope
 * under the local version's parameter name (2.39/2.40 answer 409 without one), skip-sync attribute values (flagged
 * on the TrackedEntityAttribute) and data values never reach central at any level, and a warning central reports
 * (asked for with reportMode=WARNINGS) leaves its object WARNING, settled, with the conflict stored, and the job
 * SUCCESS.
 */
class TrackerVersionPairsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "tracker {0} -> {1}")
    @CsvSource({"39, 42", "40, 41", "42, 39"})
    void trackedEntitiesArriveScopedAndWithoutSkipSyncValues(int local, int central, @TempDir Path temp)
            throws Exception {
        try (TrackerSyncFixture sync = TrackerSyncFixture.start(temp, local, central, GeneratorSpec.small(),
                Map.of("sync.tracker.pageSize", "5"))) {
            String warned = assignUserToOneEvent(sync.local(), false);
            JobRun run = sync.run(TrackerSyncFixture.TRACKER_JOB);
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            for (Kind kind : Kind.values()) {
                assertThat(TrackerSyncFixture.alive(sync.central(), kind, false)).as(kind.name())
                        .isEqualTo(TrackerSyncFixture.alive(sync.local(), kind, false));
            }
            assertScopeAsked(sync.local(), "/api/tracker/trackedEntities", local);
            String privateNote = skipSyncAttribute(sync.local());
            List<JsonNode> bodies = postedBodies(sync.central());
            assertThat(bodies).isNotEmpty();
            for (JsonNode body : bodies) {
                for (JsonNode te : body.path("trackedEntities")) {
                    assertThat(attributeIds(te)).doesNotContain(privateNote);
                    for (JsonNode en : te.path("enrollments")) {
                        assertThat(attributeIds(en)).doesNotContain(privateNote);
                    }
                }
                assertThat(body.toString()).doesNotContain(privateNote);
            }
            assertThat(bodies.stream().flatMap(b -> b.findValues("enrollments").stream())
                    .flatMap(a -> stream(a)).filter(en -> en.path("attributes").size() > 0).count())
                    .as("enrollment attributes were sent (and stripped)").isPositive();
            for (String te : TrackerSyncFixture.alive(sync.central(), Kind.TRACKED_ENTITY, false)) {
                assertThat(attributeIds(sync.central().tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow().toJson()))
                        .doesNotContain(privateNote).isNotEmpty();
            }
            assertNoSkipSyncDataValues(sync, bodies);
            assertWarningSettled(sync, run, warned);
        }
    }

    @ParameterizedTest(name = "events {0} -> {1}")
    @CsvSource({"39, 41", "41, 39", "42, 40"})
    void eventsArriveScopedAndWithoutSkipSyncValues(int local, int central, @TempDir Path temp) throws Exception {
        try (TrackerSyncFixture sync = TrackerSyncFixture.start(temp, local, central, GeneratorSpec.small(),
                Map.of("sync.events.pageSize", "9"))) {
            String warned = assignUserToOneEvent(sync.local(), true);
            JobRun run = sync.run(TrackerSyncFixture.EVENTS_JOB);
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(TrackerSyncFixture.alive(sync.central(), Kind.EVENT, true))
                    .isEqualTo(TrackerSyncFixture.alive(sync.local(), Kind.EVENT, true)).isNotEmpty();
            assertScopeAsked(sync.local(), "/api/tracker/events", local);
            assertNoSkipSyncDataValues(sync, postedBodies(sync.central()));
            assertWarningSettled(sync, run, warned);
        }
    }

    /** Every export call names the org unit scope ACCESSIBLE under the parameter name of the local version. */
    private static void assertScopeAsked(Dhis2Instance local, String path, int minor) {
        List<RequestLog.Entry> reads = local.requests().matching("GET", path);
        assertThat(reads).isNotEmpty();
        String name = minor < 41 ? "ouMode" : "orgUnitMode";
        for (RequestLog.Entry read : reads) {
            assertThat(read.status()).as(read.query()).isEqualTo(200);
            assertThat(read.params().get(name)).as(read.query()).containsExactly("ACCESSIBLE");
        }
    }

    /**
     * Assigns the local user to one event (of an event program, or of a tracker program, then its tracked entity
     * is edited too): central imports it with warning E1120, its stage not enabling user assignment.
     */
    static String assignUserToOneEvent(Dhis2Instance local, boolean programEvent) {
        Item event = local.tracker().query(Kind.EVENT, null, null, i -> !i.deleted()
                && (i.text("enrollment") == null) == programEvent, false, 0, 1, false).items().get(0);
        ObjectNode body = event.toJson();
        body.putObject("assignedUser").put("username", local.username());
        local.tracker().put(Kind.EVENT, event.uid(), body);
        if (!programEvent) {
            local.tracker().touch(Kind.TRACKED_ENTITY, event.text("trackedEntity"));
        }
        return event.uid();
    }

    private static void assertWarningSettled(TrackerSyncFixture sync, JobRun run, String event) throws Exception {
        assertThat(sync.state(TrackerType.EVENT, event)).isEqualTo("WARNING");
        assertThat(sync.conflicts(TrackerType.EVENT, event, run.id())).isEqualTo(1);
        assertThat(sync.central().tracker().get(Kind.EVENT, event)).isPresent();
        sync.central().requests().matching("POST", "/api/tracker")
                .forEach(r -> assertThat(r.params().get("reportMode")).containsExactly("WARNINGS"));
    }

    /** No event central received carries a value of a data element its stage flags skipSynchronization. */
    private static void assertNoSkipSyncDataValues(TrackerSyncFixture sync, List<JsonNode> bodies) {
        Map<String, Set<String>> skippedByStage = new java.util.HashMap<>();
        for (JsonNode stage : sync.local().catalog().list("programStages")) {
            skippedByStage.put(stage.path("id").asText(), stream(stage.path("programStageDataElements"))
                    .filter(p -> p.path("skipSynchronization").asBoolean())
                    .map(p -> p.path("dataElement").path("id").asText()).collect(Collectors.toSet()));
        }
        assertThat(skippedByStage.values()).allMatch(s -> !s.isEmpty());
        int events = 0;
        for (JsonNode body : bodies) {
            for (JsonNode event : body.findValues("events").stream().flatMap(a -> stream(a)).toList()) {
                Set<String> skipped = skippedByStage.get(event.path("programStage").asText());
                if (skipped == null) {
                    continue; // a deletion (UID only)
                }
                events++;
                assertThat(event.path("dataValues").size()).as(event.toString()).isPositive();
                for (JsonNode dv : event.path("dataValues")) {
                    assertThat(skipped).as(event.path("event").asText()).doesNotContain(dv.path("dataElement").asText());
                }
            }
        }
        assertThat(events).isPositive();
    }

    static String skipSyncAttribute(Dhis2Instance local) {
        return local.catalog().list("trackedEntityAttributes").stream()
                .filter(a -> a.path("skipSynchronization").asBoolean()).findFirst().orElseThrow()
                .path("id").asText();
    }

    static List<JsonNode> postedBodies(Dhis2Instance central) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (RequestLog.Entry r : central.requests().matching("POST", "/api/tracker")) {
            bodies.add(JSON.readTree(r.bodyText()));
        }
        return bodies;
    }

    private static List<String> attributeIds(JsonNode owner) {
        return stream(owner.path("attributes")).map(a -> a.path("attribute").asText()).toList();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
