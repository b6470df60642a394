package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Contract;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EVENT_PROGRAMS_DATA_SYNC from a local DHIS2 in a non-UTC time zone (tracker times and updatedAfter/updatedBefore
 * are the server's local time without offset), east (Africa/Nairobi) and west (America/Bogota) of UTC: events
 * changed before and during a run all arrive, and a run with nothing changed sends nothing.
 */
class TrackerServerTimeZoneTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"Africa/Nairobi", "America/Bogota"})
    @Contract("SYS-4")
    void eventsChangedBeforeAndDuringARunArriveAndNothingLoops(String zone) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(zone.replace('/', '_')));
        try (TrackerSyncFixture f = TrackerSyncFixture.start(dir, 41, 42, GeneratorSpec.small(),
                Map.of("sync.events.pageSize", "7"))) {
            f.local().clock().setZone(ZoneId.of(zone));

            JobRun first = f.run(TrackerSyncFixture.EVENTS_JOB);
            assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(EventProgramsSyncTest.events(f.central(), false))
                    .isEqualTo(EventProgramsSyncTest.events(f.local(), false)).isNotEmpty();

            String[] alive = EventProgramsSyncTest.events(f.local(), false).stream().sorted().toArray(String[]::new);
            changeOccurredAt(f, alive[0], "2024-06-01T00:00:00.000");
            f.local().faults().on("GET", "/api/tracker/events").requests(1)
                    .fail(Fault.changeAfterAnswer(() -> changeOccurredAt(f, alive[1], "2024-06-02T00:00:00.000")));

            JobRun second = f.run(TrackerSyncFixture.EVENTS_JOB);
            assertThat(second.status()).as(second.summary()).isEqualTo(JobRun.Status.SUCCESS);
            JobRun third = f.run(TrackerSyncFixture.EVENTS_JOB);
            assertThat(third.status()).as(third.summary()).isEqualTo(JobRun.Status.SUCCESS);

            assertThat(f.central().tracker().get(Kind.EVENT, alive[0]).orElseThrow().text("occurredAt"))
                    .isEqualTo("2024-06-01T00:00:00.000");
            assertThat(f.central().tracker().get(Kind.EVENT, alive[1]).orElseThrow().text("occurredAt"))
                    .as("changed while the run read the export").isEqualTo("2024-06-02T00:00:00.000");

            f.local().faults().clear();
            long posts = f.central().requests().count("POST", "/api/tracker");
            JobRun quiet = f.run(TrackerSyncFixture.EVENTS_JOB);
            assertThat(quiet.status()).as(quiet.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(f.central().requests().count("POST", "/api/tracker")).as("nothing changed: nothing sent")
                    .isEqualTo(posts);
        }
    }

    private static void changeOccurredAt(TrackerSyncFixture f, String event, String occurredAt) {
        var body = f.local().tracker().get(Kind.EVENT, event).orElseThrow().toJson();
        body.put("occurredAt", occurredAt);
        f.local().tracker().put(Kind.EVENT, event, body);
    }
}
