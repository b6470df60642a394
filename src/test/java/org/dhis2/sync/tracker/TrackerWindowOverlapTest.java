package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.Uids;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes made on local while the tracker stages page are not lost: local's importer stamps updatedAt before it
 * commits (sandbox fault trackerCommitDelay, as DHIS2's importer does), so a write can appear behind a window that
 * already ended; the next window reaches back sync.window.overlapSeconds, and what was already sent in the overlap
 * is not sent again.
 */
class TrackerWindowOverlapTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyWriteMadeWhileRunsPageArrivesAndAQuietRunSendsNothing(@TempDir Path temp) throws Exception {
        try (TrackerSyncFixture sync = TrackerSyncFixture.start(temp, 41, 42, GeneratorSpec.small(),
                Map.of("sync.window.overlapSeconds", "10", "sync.events.pageSize", "6",
                        "sync.tracker.pageSize", "5"))) {
            assertThat(sync.run(TrackerSyncFixture.EVENTS_JOB).status()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(sync.run(TrackerSyncFixture.TRACKER_JOB).status()).isEqualTo(JobRun.Status.SUCCESS);

            Dhis2Instance local = sync.local();
            local.faults().setTrackerCommitDelay(Duration.ofMillis(400));
            Set<String> programEvents = ConcurrentHashMap.newKeySet();
            Set<String> trackedEntities = ConcurrentHashMap.newKeySet();
            Set<String> trackerEvents = ConcurrentHashMap.newKeySet();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; writing.get(); i++) {
                        switch (i % 3) {
                            case 0 -> programEvents.add(post(sync, copyOfProgramEvent(local)));
                            case 1 -> trackedEntities.add(post(sync, copyOfTrackedEntity(local)));
                            default -> trackerEvents.add(post(sync, eventForExistingEnrollment(local)));
                        }
                    }
                } catch (Throwable t) {
                    writeFailure.set(t);
                }
            }, "local-writer");
            writer.start();
            // runs page while the writes go on (each write is committed 400 ms after its timestamp)
            for (int round = 0; round < 200 && (round < 5
                    || programEvents.size() + trackedEntities.size() + trackerEvents.size() < 15); round++) {
                sync.run(TrackerSyncFixture.EVENTS_JOB);
                sync.run(TrackerSyncFixture.TRACKER_JOB);
            }
            writing.set(false);
            writer.join();
            assertThat(writeFailure.get()).isNull();
            local.faults().setTrackerCommitDelay(Duration.ZERO);
            assertThat(programEvents.size() + trackedEntities.size() + trackerEvents.size()).isGreaterThanOrEqualTo(15);

            for (String job : List.of(TrackerSyncFixture.EVENTS_JOB, TrackerSyncFixture.TRACKER_JOB)) {
                JobRun clean = sync.run(job);
                assertThat(clean.status()).as(clean.summary()).isEqualTo(JobRun.Status.SUCCESS);
            }
            assertArrived(sync, Kind.EVENT, programEvents);
            assertArrived(sync, Kind.TRACKED_ENTITY, trackedEntities);
            assertArrived(sync, Kind.EVENT, trackerEvents);

            // nothing changed since: the overlapping windows find only settled objects and send nothing
            long posts = sync.central().requests().count("POST", "/api/tracker");
            for (String job : List.of(TrackerSyncFixture.EVENTS_JOB, TrackerSyncFixture.TRACKER_JOB)) {
                assertThat(sync.run(job).status()).isEqualTo(JobRun.Status.SUCCESS);
            }
            assertThat(sync.central().requests().count("POST", "/api/tracker")).isEqualTo(posts);
        }
    }

    @Test
    void readsThatKeepFailingDoNotMoveTheWindowBack(@TempDir Path temp) throws Exception {
        try (TrackerSyncFixture sync = TrackerSyncFixture.start(temp, 40, 41, GeneratorSpec.small(),
                Map.of("sync.window.overlapSeconds", "60"))) {
            assertThat(sync.run(TrackerSyncFixture.EVENTS_JOB).status()).isEqualTo(JobRun.Status.SUCCESS);
            TrackerBookkeeping books = new TrackerBookkeeping(sync.engine.database().dataSource(), "default");
            java.time.Instant watermark = books.watermark("events").orElseThrow();
            sync.local().faults().on("GET", "/api/tracker/events").fromRequest(1)
                    .fail(org.dhis2.sync.sandbox.Fault.status(500));
            for (int i = 0; i < 2; i++) {
                assertThat(sync.run(TrackerSyncFixture.EVENTS_JOB).status()).isEqualTo(JobRun.Status.FAILED);
                assertThat(books.watermark("events")).contains(watermark);
            }
            sync.local().faults().clear();
            assertThat(sync.run(TrackerSyncFixture.EVENTS_JOB).status()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(books.watermark("events").orElseThrow()).isAfter(watermark);
        }
    }

    private static void assertArrived(TrackerSyncFixture sync, Kind kind, Set<String> written) {
        List<String> missing = written.stream().filter(uid -> sync.central().tracker().get(kind, uid).isEmpty())
                .toList();
        assertThat(missing).as("%s written on local during the runs, missing on central", kind).isEmpty();
    }

    /** POSTs one object to local's /api/tracker (synchronously) and returns its UID. */
    private static String post(TrackerSyncFixture sync, ObjectNode payload) throws Exception {
        String auth = Base64.getEncoder().encodeToString((sync.local().username() + ":"
                + org.dhis2.sync.sandbox.Dhis2Instance.DEFAULT_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        URI.create(sync.pair.localServer().url() + "/api/tracker?async=false"))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return payload.has("events") ? payload.at("/events/0/event").asText()
                : payload.at("/trackedEntities/0/trackedEntity").asText();
    }

    private static Item any(Dhis2Instance local, Kind kind, boolean programEvent) {
        return local.tracker().query(kind, null, null, i -> !i.deleted()
                && (kind != Kind.EVENT || (i.text("enrollment") == null) == programEvent), false, 0, 1, false)
                .items().get(0);
    }

    private static ObjectNode strip(ObjectNode o) {
        o.remove(List.of("createdAt", "updatedAt", "deleted"));
        return o;
    }

    private static ObjectNode copyOfProgramEvent(Dhis2Instance local) {
        String uid = Uids.random();
        ObjectNode event = strip(any(local, Kind.EVENT, true).toJson()).put("event", uid);
        ObjectNode payload = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        payload.putArray("events").add(event);
        return payload;
    }

    private static ObjectNode copyOfTrackedEntity(Dhis2Instance local) {
        Item te = any(local, Kind.TRACKED_ENTITY, false);
        Item enrollment = local.tracker().children(Kind.ENROLLMENT, te.uid()).get(0);
        Item event = local.tracker().children(Kind.EVENT, enrollment.uid()).get(0);
        String uid = Uids.random();
        String enrollmentUid = Uids.random();
        ObjectNode newEvent = strip(event.toJson()).put("event", Uids.random()).put("enrollment", enrollmentUid)
                .put("trackedEntity", uid);
        ObjectNode newEnrollment = strip(enrollment.toJson()).put("enrollment", enrollmentUid)
                .put("trackedEntity", uid);
        newEnrollment.putArray("events").add(newEvent);
        ObjectNode newTe = strip(te.toJson()).put("trackedEntity", uid);
        newTe.putArray("enrollments").add(newEnrollment);
        ObjectNode payload = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        ((ArrayNode) payload.putArray("trackedEntities")).add(newTe);
        return payload;
    }

    private static ObjectNode eventForExistingEnrollment(Dhis2Instance local) {
        Item te = any(local, Kind.TRACKED_ENTITY, false);
        Item enrollment = local.tracker().children(Kind.ENROLLMENT, te.uid()).get(0);
        Item event = local.tracker().children(Kind.EVENT, enrollment.uid()).get(0);
        String uid = Uids.random();
        ObjectNode payload = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        payload.putArray("events").add(strip(event.toJson()).put("event", uid));
        return payload;
    }
}
