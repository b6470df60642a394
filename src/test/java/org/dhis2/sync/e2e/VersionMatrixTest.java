package org.dhis2.sync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dhis2.sync.engine.SyncedPair;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every push stage between every supported version, each version once as local and once as central: all data
 * arrives, the tracked-entity export carries an org unit scope where the local version needs one, skip-sync
 * attributes and data elements never reach central, a run with nothing changed sends nothing, and local changes
 * after that arrive.
 */
class VersionMatrixTest {

    private static final List<String> JOBS = List.of("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC",
            "TRACKER_PROGRAMS_DATA_SYNC");

    @ParameterizedTest(name = "2.{0} local -> 2.{1} central")
    @CsvSource({"39, 42", "40, 41", "41, 40", "42, 39"})
    void everyPushStageBetweenVersions(int localVersion, int centralVersion, @TempDir Path temp) throws Exception {
        try (SyncedPair sync = SyncedPair.startSyncing(temp, localVersion, centralVersion, GeneratorSpec.small(),
                pair -> {
                    pair.central().requests().setRecordBodies(true);
                    return Map.of("sync.tracker.pageSize", "5", "sync.events.pageSize", "10",
                            "sync.dataValues.pageSize", "500");
                })) {
            Dhis2Instance local = sync.pair.local();
            Dhis2Instance central = sync.pair.central();
            Set<String> secretAttributes = flagged(local.catalog().list("trackedEntityAttributes"));
            // skipSynchronization is per program stage data element: a data element may be secret in one stage only
            Map<String, Set<String>> secretDataElements = new HashMap<>();
            for (JsonNode stage : local.catalog().list("programStages")) {
                for (JsonNode psde : stage.path("programStageDataElements")) {
                    if (psde.path("skipSynchronization").asBoolean(false)) {
                        secretDataElements.computeIfAbsent(stage.path("id").asText(), k -> new HashSet<>())
                                .add(psde.path("dataElement").path("id").asText());
                    }
                }
            }
            assertThat(secretAttributes).as("skip-sync attributes flagged on the attribute, as DHIS2 keeps them")
                    .isNotEmpty();
            assertThat(secretDataElements).as("skip-sync program stage data elements").isNotEmpty();
            assertThat(local.tracker().query(Kind.TRACKED_ENTITY, null, null, i -> hasAttribute(i, secretAttributes),
                    false, 0, -1, false).items()).as("local holds values of skip-sync attributes").isNotEmpty();

            for (String job : JOBS) {
                JobRun run = sync.run(job);
                assertThat(run.status()).as("%s: %s", job, run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            }
            assertCentralHoldsLocalData(local, central);
            assertScopedTrackedEntityExports(local);
            assertNoSecretReachedCentral(central, secretAttributes, secretDataElements);

            int imports = central.requests().all().stream().filter(r -> r.method().equals("POST"))
                    .toList().size();
            for (String job : JOBS) {
                assertThat(sync.run(job).status()).as(job + " with nothing changed").isEqualTo(JobRun.Status.SUCCESS);
            }
            assertThat(central.requests().all().stream().filter(r -> r.method().equals("POST")).toList())
                    .as("a run with nothing changed sends no imports").hasSize(imports);

            AggregateStore.DataValue someValue = local.aggregate().values().stream().filter(v -> !v.deleted())
                    .findFirst().orElseThrow();
            local.aggregate().setValue(someValue.dataElement(), someValue.period(), someValue.orgUnit(),
                    someValue.categoryOptionCombo(), someValue.attributeOptionCombo(), "4242");
            String changedTe = alive(local, Kind.TRACKED_ENTITY, false).iterator().next();
            local.tracker().touch(Kind.TRACKED_ENTITY, changedTe);
            String deletedEvent = alive(local, Kind.EVENT, true).iterator().next();
            local.tracker().delete(Kind.EVENT, deletedEvent);
            for (String job : JOBS) {
                JobRun run = sync.run(job);
                assertThat(run.status()).as("%s after changes: %s", job, run.summary())
                        .isEqualTo(JobRun.Status.SUCCESS);
            }
            assertCentralHoldsLocalData(local, central);
            assertThat(alive(central, Kind.EVENT, true)).doesNotContain(deletedEvent);
            assertNoSecretReachedCentral(central, secretAttributes, secretDataElements);
        }
    }

    /** The events of a tracker import body: top-level and nested in tracked entities' enrollments. */
    static final class RequestBodies {
        static List<JsonNode> events(String body) throws Exception {
            JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            List<JsonNode> events = new java.util.ArrayList<>();
            root.path("events").forEach(events::add);
            for (JsonNode te : root.path("trackedEntities")) {
                for (JsonNode en : te.path("enrollments")) {
                    en.path("events").forEach(events::add);
                }
            }
            root.path("enrollments").forEach(en -> en.path("events").forEach(events::add));
            return events;
        }
    }

    private static Set<String> flagged(List<? extends JsonNode> attributes) {
        return attributes.stream().filter(a -> a.path("skipSynchronization").asBoolean(false))
                .map(a -> a.path("id").asText()).collect(Collectors.toSet());
    }

    private static boolean hasAttribute(Item item, Set<String> attributes) {
        for (JsonNode a : item.body().path("attributes")) {
            if (attributes.contains(a.path("attribute").asText())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> alive(Dhis2Instance instance, Kind kind, boolean programEvents) {
        return instance.tracker().query(kind, null, null, i -> !i.deleted()
                        && (kind != Kind.EVENT || (i.text("enrollment") == null) == programEvents), false, 0, -1, false)
                .items().stream().map(Item::uid).collect(Collectors.toSet());
    }

    private static void assertCentralHoldsLocalData(Dhis2Instance local, Dhis2Instance central) {
        Map<String, String> centralValues = new HashMap<>();
        central.aggregate().forEach(v -> {
            if (!v.deleted()) {
                centralValues.put(key(v), v.value());
            }
        });
        Map<String, String> localValues = new HashMap<>();
        local.aggregate().forEach(v -> {
            if (!v.deleted()) {
                localValues.put(key(v), v.value());
            }
        });
        assertThat(localValues).isNotEmpty();
        assertThat(centralValues).as("data values").isEqualTo(localValues);
        assertThat(central.aggregate().registrationCount()).as("complete registrations")
                .isEqualTo(local.aggregate().registrations().size());
        assertThat(alive(central, Kind.EVENT, true)).as("events of event programs")
                .isEqualTo(alive(local, Kind.EVENT, true)).isNotEmpty();
        for (Kind kind : Kind.values()) {
            Set<String> expected = alive(local, kind, false);
            assertThat(alive(central, kind, false)).as(kind.name()).isEqualTo(expected);
        }
        assertThat(alive(central, Kind.RELATIONSHIP, false)).as("relationships").isNotEmpty();
    }

    private static String key(AggregateStore.DataValue v) {
        return v.dataElement() + '|' + v.period() + '|' + v.orgUnit() + '|' + v.categoryOptionCombo() + '|'
                + v.attributeOptionCombo();
    }

    /** 2.39 and 2.40 answer 409 to a tracked entity export without an org unit scope; every export names one. */
    private static void assertScopedTrackedEntityExports(Dhis2Instance local) {
        List<RequestLog.Entry> exports = local.requests().matching("GET", "/api/tracker/trackedEntities");
        assertThat(exports).as("tracked entity exports").isNotEmpty();
        for (RequestLog.Entry e : exports) {
            assertThat(e.params().containsKey("ouMode") || e.params().containsKey("orgUnitMode")
                    || e.params().containsKey("orgUnit")
                    || e.params().containsKey("orgUnits")).as("scope of %s?%s", e.path(), e.query()).isTrue();
            assertThat(e.status()).as("%s?%s", e.path(), e.query()).isEqualTo(200);
        }
    }

    private static void assertNoSecretReachedCentral(Dhis2Instance central, Set<String> attributes,
                                                     Map<String, Set<String>> dataElements) throws Exception {
        List<RequestLog.Entry> posts = central.requests().all().stream().filter(r -> r.method().equals("POST"))
                .toList();
        assertThat(posts).isNotEmpty();
        for (RequestLog.Entry post : posts) {
            for (String uid : attributes) {
                assertThat(post.bodyText()).as("skip-sync attribute in %s", post.path()).doesNotContain(uid);
            }
            if (post.path().startsWith("/api/tracker")) {
                for (JsonNode event : RequestBodies.events(post.bodyText())) {
                    Set<String> secret = dataElements.getOrDefault(event.path("programStage").asText(), Set.of());
                    for (JsonNode dv : event.path("dataValues")) {
                        assertThat(secret).as("skip-sync data element of stage %s sent in event %s",
                                event.path("programStage").asText(), event.path("event").asText())
                                .doesNotContain(dv.path("dataElement").asText());
                    }
                }
            }
        }
        for (Kind kind : List.of(Kind.TRACKED_ENTITY, Kind.ENROLLMENT)) {
            for (String uid : alive(central, kind, false)) {
                assertThat(hasAttribute(central.tracker().get(kind, uid).orElseThrow(), attributes))
                        .as("%s %s on central holds a skip-sync attribute", kind, uid).isFalse();
            }
        }
    }
}
