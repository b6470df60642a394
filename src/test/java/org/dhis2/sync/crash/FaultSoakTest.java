package org.dhis2.sync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded random schedule of local edits (every kind, nested tracker changes, changes while a run pages: made right
 * after a page of the export was answered), faults of
 * every kind the sandbox injects (5xx, 429, resets mid-body, malformed bodies, timeouts, 409s, central down, clock
 * jumps of ±10 minutes on either server) and SIGKILLs of the engine ({@code dhis2-sync run} in its own JVM), over many
 * runs; then the faults stop and the engine runs until clean. Invariants: central == local, nothing duplicated, no
 * SUCCESS for a run after which something had not arrived (checked after runs without edits made during them:
 * those edits may belong to the next window). A failing seed is in the test's name: re-run it with
 * {@code -Dsoak.seeds=N}. CI runs a few short seeds; {@code bench/soak.sh SEEDS} runs a long schedule.
 */
class FaultSoakTest {

    static final List<String> JOBS = List.of("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC",
            "META_DATA_SYNC");

    static LongStream seeds() {
        String given = System.getProperty("soak.seeds", "");
        return given.isBlank() ? LongStream.of(11, 23, 37) : java.util.Arrays.stream(given.split(","))
                .mapToLong(s -> Long.parseLong(s.trim()));
    }

    static int steps() {
        return Integer.getInteger("soak.steps", 8);
    }

    /** What one seed did, for bench/soak.sh and the assertion messages. */
    static final Map<String, Integer> TOTALS = new TreeMap<>();

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSeededScheduleOfEditsFaultsAndKillsLosesNothing(long seed, @TempDir Path temp) throws Exception {
        Random random = new Random(seed);
        List<String> log = new ArrayList<>();
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(41), Dhis2Version.of(40));
             EngineProcess engine = new EngineProcess(temp.resolve("engine"), pair.localServer().url(),
                     pair.centralServer().url(), Map.of("sync.dataValues.pageSize", "50", "sync.events.pageSize", "5",
                     "sync.tracker.pageSize", "5", "sync.events.parallelism", "2", "sync.tracker.parallelism", "2",
                     "dhis2.http.responseTimeoutMillis", "3000", "sync.window.overlapSeconds", "120"))) {
            SandboxGenerator.populate(pair, GeneratorSpec.small());
            engine.start();
            for (int step = 0; step < steps(); step++) {
                edit(pair.local(), random, log);
                String job = JOBS.get(random.nextInt(JOBS.size()));
                CountDownLatch killed = new CountDownLatch(1);
                String fault = fault(pair, random, engine, killed);
                log.add("step " + step + ": " + job + " with " + fault);
                count("fault:" + fault.replaceAll("[ #:].*", ""));
                count("runs");
                if (!engine.alive()) {
                    engine.start();
                }
                String jobId = null;
                try {
                    jobId = engine.execute(job);
                } catch (java.io.IOException e) {
                    if (!killed.await(10, TimeUnit.SECONDS)) { // killed before it could answer: fine
                        throw new AssertionError("seed " + seed + ": the engine did not answer " + e + "\n"
                                + String.join("\n", log) + "\n" + engine.log(), e);
                    }
                }
                JsonNode run = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (jobId != null && run == null && killed.getCount() > 0 && System.nanoTime() < deadline) {
                    try {
                        run = engine.awaitRun(job, jobId, Duration.ofMillis(500));
                    } catch (AssertionError notYet) {
                        // still running (or killed meanwhile)
                    } catch (java.io.IOException gone) {
                        if (!killed.await(10, TimeUnit.SECONDS)) {
                            throw new AssertionError("seed " + seed + ": the engine died " + gone + "\n"
                                    + String.join("\n", log) + "\n" + engine.log(), gone);
                        }
                    }
                }
                clearFaults(pair);
                if (killed.getCount() == 0) {
                    engine.awaitExit();
                    count("engineKilled");
                    engine.start();
                    continue;
                }
                assertThat(run).as("seed %d: %s ended\n%s", seed, job, String.join("\n", log)).isNotNull();
                log.add("  -> " + run.path("status").asText() + ": " + run.path("summary").asText());
                if (run.path("status").asText().equals("SUCCESS") && !fault.equals("editDuringRun")) {
                    // an honest SUCCESS: everything of the job's data is on central now (no edit ran meanwhile)
                    assertJobDataArrived(pair, job, seed, log);
                }
            }
            clearFaults(pair);
            if (!engine.alive()) {
                engine.start();
            }
            for (String job : JOBS) {
                List<String> statuses = new ArrayList<>();
                for (int i = 0; i < 4 && !statuses.contains("SUCCESS"); i++) {
                    statuses.add(engine.run(job).path("status").asText());
                }
                assertThat(statuses).as("seed %d: %s converges\n%s", seed, job, String.join("\n", log))
                        .contains("SUCCESS");
            }
            for (String job : JOBS) {
                assertJobDataArrived(pair, job, seed, log);
            }
            count("objectsCompared", KillPointsTest.alive(pair.local(), Kind.TRACKED_ENTITY, false).size()
                    + KillPointsTest.alive(pair.local(), Kind.EVENT, true).size() + pair.local().aggregate().count());
        }
    }

    /** Local edits of every kind, each with a chance. */
    private static void edit(Dhis2Instance local, Random random, List<String> log) {
        List<AggregateStore.DataValue> values = local.aggregate().values().stream().filter(v -> !v.deleted())
                .toList();
        int changed = random.nextInt(60);
        for (int i = 0; i < changed; i++) {
            AggregateStore.DataValue v = values.get(random.nextInt(values.size()));
            local.aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), String.valueOf(random.nextInt(1000)));
        }
        if (random.nextInt(3) == 0) {
            AggregateStore.DataValue v = values.get(random.nextInt(values.size()));
            local.aggregate().delete(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo());
        }
        List<String> events = List.copyOf(KillPointsTest.alive(local, Kind.EVENT, true));
        for (int i = random.nextInt(8); i > 0 && !events.isEmpty(); i--) {
            local.tracker().touch(Kind.EVENT, events.get(random.nextInt(events.size())));
        }
        if (random.nextInt(4) == 0 && events.size() > 5) {
            local.tracker().delete(Kind.EVENT, events.get(random.nextInt(events.size())));
        }
        List<String> tes = List.copyOf(KillPointsTest.alive(local, Kind.TRACKED_ENTITY, false));
        for (int i = random.nextInt(5); i > 0 && !tes.isEmpty(); i--) {
            local.tracker().touch(Kind.TRACKED_ENTITY, tes.get(random.nextInt(tes.size())));
        }
        List<String> nested = List.copyOf(KillPointsTest.alive(local, Kind.EVENT, false));
        nested = nested.stream().filter(e -> !events.contains(e)).toList();
        for (int i = random.nextInt(4); i > 0 && !nested.isEmpty(); i--) {
            local.tracker().touch(Kind.EVENT, nested.get(random.nextInt(nested.size())));
        }
        if (random.nextInt(6) == 0 && tes.size() > 6) {
            local.tracker().delete(Kind.TRACKED_ENTITY, tes.get(random.nextInt(tes.size())));
        }
        if (random.nextInt(3) == 0) {
            local.metadataVersions(); // versions are created on central below
        }
        log.add("edits: " + changed + " values");
    }

    /** Installs this step's fault (or none) and returns its name. */
    private static String fault(SandboxPair pair, Random random, EngineProcess engine, CountDownLatch killed) {
        Runnable kill = () -> {
            if (killed.getCount() > 0) {
                engine.killNow();
                killed.countDown();
            }
        };
        Dhis2Instance central = pair.central();
        String[] posts = {"/api/dataValueSets", "/api/completeDataSetRegistrations", "/api/tracker"};
        String path = posts[random.nextInt(posts.length)];
        long n = 1 + random.nextInt(3);
        if (random.nextInt(4) == 0) {
            central.metadataVersions().create(org.dhis2.sync.sandbox.MetadataVersion.Type.BEST_EFFORT);
        }
        switch (random.nextInt(13)) {
            case 0 -> {
                central.faults().on("POST", path).requests(n, n + 1).fail(Fault.status(500 + random.nextInt(4)));
                return "5xx " + path + " #" + n;
            }
            case 1 -> {
                central.faults().on("POST", path).requests(n, n + 1).fail(Fault.status(429, "1"));
                return "429 " + path + " #" + n;
            }
            case 2 -> {
                central.faults().on("POST", path).requests(n).fail(Fault.resetMidBody());
                return "reset " + path + " #" + n;
            }
            case 3 -> {
                central.faults().on("POST", path).requests(n).fail(Fault.malformedBody());
                return "malformed " + path + " #" + n;
            }
            case 4 -> {
                central.faults().on("POST", path).requests(n).fail(Fault.hang(Duration.ofSeconds(5)));
                return "timeout " + path + " #" + n;
            }
            case 5 -> {
                central.faults().on("POST", path).requests(n).fail(Fault.status(409));
                return "409 " + path + " #" + n;
            }
            case 6 -> {
                central.faults().on("*", "/api").fromRequest(1).fail(Fault.status(503));
                return "centralDown";
            }
            case 7 -> {
                Dhis2Instance which = random.nextBoolean() ? pair.local() : central;
                Duration jump = Duration.ofMinutes(random.nextBoolean() ? 10 : -10);
                which.clock().setOffset(which.clock().offset().plus(jump));
                return "clockJump " + which.name() + " " + jump;
            }
            case 8, 9 -> {
                central.faults().on("POST", path).requests(n).fail(random.nextBoolean()
                        ? Fault.beforeHandling(kill) : Fault.changeAfterAnswer(kill));
                return "kill " + path + " #" + n;
            }
            case 11 -> {
                // local changes while the run pages: right after the first page of the export was answered
                String[] exports = {"/api/dataValueSets", "/api/tracker/events", "/api/tracker/trackedEntities"};
                Random during = new Random(random.nextLong());
                pair.local().faults().on("GET", exports[random.nextInt(exports.length)]).requests(1)
                        .fail(Fault.changeAfterAnswer(() -> edit(pair.local(), during, new ArrayList<>())));
                return "editDuringRun";
            }
            case 10 -> {
                String[] exports = {"/api/dataValueSets", "/api/tracker/events", "/api/tracker/trackedEntities",
                    "/api/completeDataSetRegistrations"};
                pair.local().faults().on("GET", exports[random.nextInt(exports.length)]).requests(1)
                        .fail(Fault.beforeHandling(kill));
                return "kill local read";
            }
            default -> {
                return "none";
            }
        }
    }

    private static void clearFaults(SandboxPair pair) {
        pair.local().faults().clear();
        pair.central().faults().clear();
    }

    private static void assertJobDataArrived(SandboxPair pair, String job, long seed, List<String> log) {
        String why = "seed " + seed + " after " + job + "\n" + String.join("\n", log);
        Dhis2Instance local = pair.local();
        Dhis2Instance central = pair.central();
        if (job.equals("DATA_SYNC") || job.equals("META_DATA_SYNC")) {
            assertThat(values(central)).as("data values, " + why).isEqualTo(values(local));
        }
        if (job.equals("EVENT_PROGRAMS_DATA_SYNC") || job.equals("META_DATA_SYNC")) {
            assertThat(KillPointsTest.alive(central, Kind.EVENT, true)).as("events, " + why)
                    .isEqualTo(KillPointsTest.alive(local, Kind.EVENT, true));
        }
        if (job.equals("TRACKER_PROGRAMS_DATA_SYNC") || job.equals("META_DATA_SYNC")) {
            for (Kind kind : Kind.values()) {
                assertThat(KillPointsTest.alive(central, kind, false)).as(kind + ", " + why)
                        .isEqualTo(KillPointsTest.alive(local, kind, false));
            }
        }
    }

    private static Map<String, String> values(Dhis2Instance instance) {
        Map<String, String> values = new TreeMap<>();
        instance.aggregate().forEach(v -> {
            if (!v.deleted()) {
                values.put(v.dataElement() + '|' + v.period() + '|' + v.orgUnit() + '|' + v.categoryOptionCombo()
                        + '|' + v.attributeOptionCombo(), v.value());
            }
        });
        return values;
    }

    private static synchronized void count(String what) {
        count(what, 1);
    }

    private static synchronized void count(String what, int n) {
        TOTALS.merge(what, n, Integer::sum);
        System.out.println("SOAK " + TOTALS);
    }
}
