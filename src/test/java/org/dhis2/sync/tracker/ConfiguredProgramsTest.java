package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync.events.programs / sync.tracker.programs, 2.40 local to 2.41 central with two event programs and two tracker
 * programs: only the configured ones are pushed; a configured program the local instance does not have fails the
 * stage, naming the key, before anything is sent.
 */
class ConfiguredProgramsTest {

    private static final GeneratorSpec SPEC = new GeneratorSpec(42L, 6, 8, 2, 2, 3, 50, 0.5, 2, 15, 2, 16, 4, 3);

    @TempDir
    Path temp;

    @Test
    void onlyConfiguredProgramsArePushedAndAnUnknownOneFailsBeforeSending() throws Exception {
        try (TrackerSyncFixture sync = TrackerSyncFixture.start(temp, 40, 41, SPEC, pair -> Map.of(
                "sync.events.programs", programs(pair.local(), "WITHOUT_REGISTRATION").get(0),
                "sync.tracker.programs", programs(pair.local(), "WITH_REGISTRATION").get(0)))) {
            Dhis2Instance local = sync.local();
            String eventProgram = programs(local, "WITHOUT_REGISTRATION").get(0);
            String otherEventProgram = programs(local, "WITHOUT_REGISTRATION").get(1);
            String trackerProgram = programs(local, "WITH_REGISTRATION").get(0);

            ObjectNode removed = local.catalog().get("programs", eventProgram).orElseThrow();
            local.catalog().remove("programs", eventProgram);
            JobRun unknown = sync.run(TrackerSyncFixture.EVENTS_JOB);
            assertThat(unknown.status()).isEqualTo(JobRun.Status.FAILED);
            assertThat(unknown.summary()).contains("sync.events.programs").contains(eventProgram);
            assertThat(sync.central().requests().count("POST", "/api/tracker")).isZero();

            local.catalog().put("programs", removed);
            JobRun events = sync.run(TrackerSyncFixture.EVENTS_JOB);
            assertThat(events.status()).as(events.summary()).isEqualTo(JobRun.Status.SUCCESS);
            Set<String> centralEvents = TrackerSyncFixture.alive(sync.central(), Kind.EVENT, true);
            assertThat(centralEvents).isNotEmpty().isEqualTo(liveEventsOf(local, eventProgram));
            assertThat(liveEventsOf(local, otherEventProgram)).isNotEmpty().doesNotContainAnyElementsOf(centralEvents);

            JobRun tracker = sync.run(TrackerSyncFixture.TRACKER_JOB);
            assertThat(tracker.status()).as(tracker.summary()).isEqualTo(JobRun.Status.SUCCESS);
            Set<String> enrolled = live(local, Kind.ENROLLMENT).stream()
                    .filter(e -> trackerProgram.equals(e.text("program")))
                    .map(e -> e.text("trackedEntity")).collect(Collectors.toSet());
            Set<String> liveTes = TrackerSyncFixture.alive(local, Kind.TRACKED_ENTITY, false);
            enrolled.retainAll(liveTes);
            assertThat(TrackerSyncFixture.alive(sync.central(), Kind.TRACKED_ENTITY, false))
                    .isNotEmpty().isEqualTo(enrolled).isNotEqualTo(liveTes);
            assertThat(live(sync.central(), Kind.ENROLLMENT)).isNotEmpty()
                    .allMatch(e -> trackerProgram.equals(e.text("program")));
        }
    }

    private static List<String> programs(Dhis2Instance instance, String type) {
        return instance.catalog().list("programs").stream()
                .filter(p -> type.equals(p.path("programType").asText())).map(p -> p.path("id").asText())
                .sorted().toList();
    }

    private static List<Item> live(Dhis2Instance instance, Kind kind) {
        return instance.tracker().query(kind, null, null, i -> !i.deleted(), false, 0, -1, false).items();
    }

    private static Set<String> liveEventsOf(Dhis2Instance instance, String program) {
        return live(instance, Kind.EVENT).stream()
                .filter(e -> e.text("enrollment") == null && program.equals(e.text("program")))
                .map(Item::uid).collect(Collectors.toSet());
    }
}
