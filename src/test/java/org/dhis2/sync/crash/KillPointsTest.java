package org.dhis2.sync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.MetadataVersion;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine ({@code dhis2-sync run} in its own JVM) is killed with SIGKILL at chosen points of every stage, started
 * again on the same data directory, and run until its job succeeds. After each: central holds exactly what local
 * holds (nothing lost, nothing duplicated), and every object the bookkeeping calls SYNCED is on central.
 * A point is a request of the engine to local or central: killed when it arrives (before the server handles it:
 * the request is on the wire) or right after the server answered (between the POST and its bookkeeping write; after
 * a stage's last page, during the watermark write).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillPointsTest {

    record KillPoint(String job, String server, String method, String path, long request, boolean afterAnswer) {
        @Override
        public String toString() {
            return job + ": " + (afterAnswer ? "after " : "at ") + server + " " + method + " " + path + " #" + request;
        }
    }

    static Stream<KillPoint> points() {
        return Stream.of(
                new KillPoint("DATA_SYNC", "local", "GET", "/api/system/info", 1, false),
                new KillPoint("DATA_SYNC", "local", "GET", "/api/dataValueSets", 1, false),
                new KillPoint("DATA_SYNC", "central", "POST", "/api/dataValueSets", 1, false),
                new KillPoint("DATA_SYNC", "central", "POST", "/api/dataValueSets", 1, true),
                new KillPoint("DATA_SYNC", "central", "POST", "/api/dataValueSets", 2, true),
                new KillPoint("DATA_SYNC", "central", "POST", "/api/completeDataSetRegistrations", 1, false),
                new KillPoint("DATA_SYNC", "central", "POST", "/api/completeDataSetRegistrations", 1, true),
                new KillPoint("EVENT_PROGRAMS_DATA_SYNC", "local", "GET", "/api/tracker/events", 1, false),
                new KillPoint("EVENT_PROGRAMS_DATA_SYNC", "central", "POST", "/api/tracker", 1, false),
                new KillPoint("EVENT_PROGRAMS_DATA_SYNC", "central", "POST", "/api/tracker", 1, true),
                new KillPoint("EVENT_PROGRAMS_DATA_SYNC", "central", "POST", "/api/tracker", 2, true),
                new KillPoint("TRACKER_PROGRAMS_DATA_SYNC", "local", "GET", "/api/tracker/trackedEntities", 1, false),
                new KillPoint("TRACKER_PROGRAMS_DATA_SYNC", "central", "POST", "/api/tracker", 1, false),
                new KillPoint("TRACKER_PROGRAMS_DATA_SYNC", "central", "POST", "/api/tracker", 1, true),
                new KillPoint("TRACKER_PROGRAMS_DATA_SYNC", "central", "POST", "/api/tracker", 3, true),
                new KillPoint("TRACKER_PROGRAMS_DATA_SYNC", "central", "POST", "/api/tracker", 2, false),
                new KillPoint("META_DATA_SYNC", "central", "GET", "/api/metadata/version/history", 1, false),
                new KillPoint("META_DATA_SYNC", "local", "GET", "/api/metadata/sync", 1, false),
                new KillPoint("META_DATA_SYNC", "local", "GET", "/api/metadata/sync", 1, true),
                new KillPoint("META_DATA_SYNC", "local", "GET", "/api/metadata/sync", 2, true),
                new KillPoint("META_DATA_SYNC", "central", "POST", "/api/dataValueSets", 1, true));
    }

    SandboxPair pair;
    EngineProcess engine;
    int round;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(41));
        SandboxGenerator.populate(pair, GeneratorSpec.small());
        engine = new EngineProcess(temp.resolve("engine"), pair.localServer().url(), pair.centralServer().url(),
                Map.of("sync.dataValues.pageSize", "50", "sync.completeRegistrations.pageSize", "50",
                        "sync.events.pageSize", "5", "sync.events.parallelism", "2",
                        "sync.tracker.pageSize", "5", "sync.tracker.parallelism", "2"));
        engine.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("points")
    void killedAtAnyPointTheEngineConvergesWithNothingLostOrDuplicated(KillPoint point) throws Exception {
        editLocal(++round);
        if (!engine.alive()) {
            engine.start();
        }
        CountDownLatch killed = new CountDownLatch(1);
        Runnable kill = () -> {
            if (killed.getCount() > 0) {
                engine.killNow();
                killed.countDown();
            }
        };
        Dhis2Instance server = point.server().equals("local") ? pair.local() : pair.central();
        server.faults().on(point.method(), point.path()).requests(point.request())
                .fail(point.afterAnswer() ? Fault.changeAfterAnswer(kill) : Fault.beforeHandling(kill));
        try {
            engine.execute(point.job());
            assertThat(killed.await(90, TimeUnit.SECONDS)).as("the run reached %s:\n%s", point, engine.log())
                    .isTrue();
            engine.awaitExit();
        } finally {
            pair.local().faults().clear();
            pair.central().faults().clear();
        }

        engine.start(); // same data directory: the killed engine's PostgreSQL is still running
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 4 && !statuses.contains("SUCCESS"); i++) {
            JsonNode run = engine.run(point.job());
            statuses.add(run.path("status").asText() + ": " + run.path("summary").asText());
            if (run.path("status").asText().equals("SUCCESS")) {
                statuses.add("SUCCESS");
            }
        }
        assertThat(statuses).as("runs after the restart").contains("SUCCESS");
        assertCentralEqualsLocal(point.job());
        assertSyncedObjectsAreOnCentral(!point.job().equals("DATA_SYNC"));
    }

    /** Changes of every kind on local before each point, so each run has pages to send. */
    private void editLocal(int n) {
        List<AggregateStore.DataValue> values = pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted()).limit(80).toList();
        for (AggregateStore.DataValue v : values) {
            pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), String.valueOf(n * 1000 + values.indexOf(v)));
        }
        AggregateStore.Registration r = pair.local().aggregate().registrations().get(n
                % pair.local().aggregate().registrations().size());
        java.time.Instant now = pair.local().clock().tick();
        pair.local().aggregate().putRegistration(new AggregateStore.Registration(r.dataSet(), r.period(),
                r.organisationUnit(), r.attributeOptionCombo(), now, r.storedBy(), r.created(), now,
                r.lastUpdatedBy(), !r.completed()));
        List<String> events = alive(pair.local(), Kind.EVENT, true).stream().sorted().toList();
        for (int i = 0; i < 12; i++) {
            pair.local().tracker().touch(Kind.EVENT, events.get((n * 12 + i) % events.size()));
        }
        List<String> tes = alive(pair.local(), Kind.TRACKED_ENTITY, false).stream().sorted().toList();
        for (int i = 0; i < 8; i++) {
            pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes.get((n * 8 + i) % tes.size()));
        }
        if (n % 4 == 0) {
            pair.local().tracker().delete(Kind.EVENT, events.get(n % events.size()));
        }
        // two new metadata versions on central for the metadata stage
        pair.central().metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);
        pair.central().metadataVersions().create(MetadataVersion.Type.ATOMIC);
    }

    static Set<String> alive(Dhis2Instance instance, Kind kind, boolean programEvents) {
        return instance.tracker().query(kind, null, null, i -> !i.deleted()
                        && (kind != Kind.EVENT || (i.text("enrollment") == null) == programEvents), false, 0, -1, false)
                .items().stream().map(Item::uid).collect(Collectors.toSet());
    }

    private void assertCentralEqualsLocal(String job) {
        if (job.equals("DATA_SYNC")) {
            assertThat(values(pair.central())).as("data values").isEqualTo(values(pair.local()));
            Map<String, Boolean> local = registrations(pair.local());
            assertThat(registrations(pair.central())).as("registrations").isEqualTo(local);
        } else if (job.equals("META_DATA_SYNC")) {
            assertThat(names(pair.local())).as("metadata versions on local, in order").isEqualTo(names(pair.central()));
            assertThat(pair.local().metadataVersions().currentVersionName())
                    .isEqualTo(pair.central().metadataVersions().currentVersionName());
            assertThat(values(pair.central())).as("data values").isEqualTo(values(pair.local()));
            for (Kind kind : Kind.values()) {
                assertThat(alive(pair.central(), kind, false)).as(kind.name())
                        .isEqualTo(alive(pair.local(), kind, false));
            }
        } else if (job.equals("EVENT_PROGRAMS_DATA_SYNC")) {
            assertThat(alive(pair.central(), Kind.EVENT, true)).as("events").isEqualTo(alive(pair.local(), Kind.EVENT,
                    true));
        } else {
            for (Kind kind : Kind.values()) {
                assertThat(alive(pair.central(), kind, false)).as(kind.name())
                        .isEqualTo(alive(pair.local(), kind, false));
            }
        }
    }

    private static List<String> names(Dhis2Instance instance) {
        return instance.metadataVersions().list().stream().map(MetadataVersion::name).toList();
    }

    /** The live data values of an instance by their key (de|pe|ou|coc|aoc): equal maps = nothing lost or doubled. */
    static Map<String, String> values(Dhis2Instance instance) {
        Map<String, String> values = new HashMap<>();
        instance.aggregate().forEach(v -> {
            if (!v.deleted()) {
                values.put(v.dataElement() + '|' + v.period() + '|' + v.orgUnit() + '|' + v.categoryOptionCombo()
                        + '|' + v.attributeOptionCombo(), v.value());
            }
        });
        return values;
    }

    private static Map<String, Boolean> registrations(Dhis2Instance instance) {
        return instance.aggregate().registrations().stream().collect(Collectors.toMap(
                r -> r.dataSet() + '|' + r.period() + '|' + r.organisationUnit() + '|' + r.attributeOptionCombo(),
                AggregateStore.Registration::completed));
    }

    /** The bookkeeping never calls an object SYNCED that central does not hold (as it is on local). */
    private void assertSyncedObjectsAreOnCentral(boolean trackerSynced) throws Exception {
        try (Connection c = engine.bookkeeping(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select kind, uid from sync_item where state = 'SYNCED' and kind in "
                     + "('EVENT', 'TRACKED_ENTITY', 'ENROLLMENT', 'RELATIONSHIP')")) {
            int checked = 0;
            while (rs.next()) {
                Kind kind = Kind.valueOf(rs.getString(1));
                String uid = rs.getString(2);
                var local = pair.local().tracker().get(kind, uid);
                var central = pair.central().tracker().get(kind, uid);
                if (local.isPresent() && !local.get().deleted()) {
                    assertThat(central).as("SYNCED %s %s on central", kind, uid).isPresent();
                    assertThat(central.get().deleted()).as("SYNCED %s %s alive on central", kind, uid).isFalse();
                }
                checked++;
            }
            if (trackerSynced) {
                assertThat(checked).as("SYNCED tracker objects in the bookkeeping").isPositive();
            }
        }
    }
}
