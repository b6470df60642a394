package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** TRACKER_PROGRAMS_DATA_SYNC end to end: a 2.41 local pushing to a 2.40 central over real HTTP. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrackerProgramsSyncTest {

    @TempDir
    static Path temp;
    static TrackerSyncFixture sync;
    static SandboxPair pair;

    @BeforeAll
    static void start() throws Exception {
        sync = TrackerSyncFixture.start(temp, 41, 40, GeneratorSpec.small(), Map.of("sync.tracker.pageSize", "5"));
        pair = sync.pair;
    }

    @AfterAll
    static void stop() {
        if (sync != null) {
            sync.close();
        }
    }

    static JobRun run() {
        return sync.run(TrackerSyncFixture.TRACKER_JOB);
    }

    static Set<String> alive(Dhis2Instance instance, Kind kind) {
        return TrackerSyncFixture.alive(instance, kind, false);
    }

    static String state(String kind, String uid) throws Exception {
        return sync.state(TrackerType.valueOf(kind), uid);
    }

    @Test
    @Order(1)
    void trackedEntitiesWithEverythingNestedArriveWithoutSkipSyncAttributes() {
        JobRun first = run();
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);
        for (Kind kind : Kind.values()) {
            assertThat(alive(pair.central(), kind)).as(kind.name()).isEqualTo(alive(pair.local(), kind));
        }
        assertThat(alive(pair.central(), Kind.TRACKED_ENTITY)).isNotEmpty();
        assertThat(alive(pair.central(), Kind.RELATIONSHIP)).isNotEmpty();
        String privateNote = pair.local().catalog().list("trackedEntityAttributes").stream()
                .filter(a -> a.path("name").asText().equals("TRK Private note")).findFirst().orElseThrow()
                .path("id").asText();
        for (String te : alive(pair.central(), Kind.TRACKED_ENTITY)) {
            pair.central().tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow().body().path("attributes")
                    .forEach(a -> assertThat(a.path("attribute").asText()).isNotEqualTo(privateNote));
        }
        pair.central().requests().matching("POST", "/api/tracker")
                .forEach(r -> assertThat(r.bodyText()).doesNotContain(privateNote));

        long posts = pair.central().requests().count("POST", "/api/tracker");
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().requests().count("POST", "/api/tracker")).isEqualTo(posts);
    }

    @Test
    @Order(2)
    void oneRejectedEventMakesOnlyItsTrackedEntityErrorUntilFixed() throws Exception {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        String badTe = tes[0];
        String enrollment = pair.local().tracker().children(Kind.ENROLLMENT, badTe).get(0).uid();
        String badEvent = pair.local().tracker().children(Kind.EVENT, enrollment).get(0).uid();
        pair.central().faults().rejectedUids().add(badEvent);
        pair.local().tracker().touch(Kind.EVENT, badEvent);
        for (int i = 0; i < 4; i++) {
            pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[i]);
        }
        JobRun run = run();
        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(state("TRACKED_ENTITY", badTe)).isEqualTo("ERROR");
        assertThat(state("EVENT", badEvent)).isEqualTo("ERROR");
        for (int i = 1; i < 4; i++) {
            assertThat(state("TRACKED_ENTITY", tes[i])).isEqualTo("SYNCED");
        }
        try (Connection c = sync.engine.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from import_conflict where kind = 'EVENT' and uid = '"
                     + badEvent + "' and run_id = " + run.id())) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }

        pair.central().faults().rejectedUids().remove(badEvent);
        pair.local().tracker().touch(Kind.EVENT, badEvent);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, badTe);
        JobRun fixed = run();
        assertThat(fixed.status()).as(fixed.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(state("TRACKED_ENTITY", badTe)).isEqualTo("SYNCED");
        assertThat(state("EVENT", badEvent)).isEqualTo("SYNCED");
    }

    @Test
    @Order(3)
    void deletedEnrollmentAndTrackedEntityPropagate() {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        String enrollment = pair.local().tracker().children(Kind.ENROLLMENT, tes[1]).get(0).uid();
        pair.local().tracker().delete(Kind.ENROLLMENT, enrollment);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[1]);
        pair.local().tracker().delete(Kind.TRACKED_ENTITY, tes[2]);
        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().tracker().get(Kind.ENROLLMENT, enrollment).orElseThrow().deleted()).isTrue();
        assertThat(pair.central().tracker().get(Kind.TRACKED_ENTITY, tes[2]).orElseThrow().deleted()).isTrue();
        for (Kind kind : Kind.values()) {
            assertThat(alive(pair.central(), kind)).as(kind.name()).isEqualTo(alive(pair.local(), kind));
        }
    }
}
