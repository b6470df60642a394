package org.dhis2.sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * B3 (bench/tracker-latency.sh): N tracked entities (1-2 enrollments, ~3 events each) pushed by
 * TRACKER_PROGRAMS_DATA_SYNC with added latency on every sandbox request, once with the engine's default settings
 * and once the way DHIS2 core does it (page size 20, one page at a time), each to its own fresh central, same run.
 * The runs go in the order defaults, core, core, defaults (each to a fresh central), so that the JVM's warm-up and
 * a drifting machine load weigh on both sides alike; the speed-up is the ratio of the sums.
 */
public final class TrackerLatencyBenchmark {

    private TrackerLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args);
        int trackedEntities = BenchOptions.integer(o, "tracked-entities", 10_000);
        int latency = BenchOptions.integer(o, "latency-ms", 20);
        // --rtt-ms: central behind an emulated link with that round trip (the engine sits beside local, as at a
        // field site) instead of the same latency added to every instance
        int rtt = BenchOptions.integer(o, "rtt-ms", 0);
        double target = rtt > 0 ? 5 : 3;
        System.out.println("B3 tracker latency hiding: " + trackedEntities + " tracked entities, " + (rtt > 0
                ? "central behind a link with a " + rtt + " ms round trip" : latency + " ms added per request"));
        System.out.println(Machine.describe());
        try (SandboxProcess sandbox = SandboxProcess.start(o.getOrDefault("sandbox-heap", "2g"),
                "--tracked-entities=" + trackedEntities, "--centrals=4")) {
            System.out.println("sandbox: " + sandbox.ready);
            long local = sandbox.askLong("tracked local");
            if (rtt > 0) {
                for (int c = 0; c < 4; c++) {
                    System.out.println("central " + c + ": " + sandbox.ask("link " + c + " lan rttMs=" + rtt));
                }
            } else {
                sandbox.ask("latency " + latency);
            }
            Map<String, String> coreWay = Map.of("sync.tracker.pageSize", "20", "sync.tracker.parallelism", "1");
            String coreLabel = "page size 20, parallelism 1 (DHIS2 core)";
            if ("core".equals(o.get("only"))) { // one core-way run in a fresh JVM (diagnosis)
                run(sandbox, 1, coreWay, coreLabel, local);
                return;
            }
            long fast = run(sandbox, 0, Map.of(), "engine defaults", local).millis();
            long core = run(sandbox, 1, coreWay, coreLabel, local).millis();
            core += run(sandbox, 2, coreWay, coreLabel, local).millis();
            fast += run(sandbox, 3, Map.of(), "engine defaults", local).millis();
            double ratio = (double) core / Math.max(1, fast);
            System.out.printf("RESULT B3 trackedEntities=%d %s defaults=%dms core-way=%dms (mean of 2 runs "
                            + "each) speedup=%.2f (target >= %.0f: %s) load=%s%n", local, rtt > 0 ? "rtt=" + rtt + "ms"
                            : "latency=" + latency + "ms", fast / 2, core / 2, ratio, target,
                    ratio >= target ? "met" : "NOT met", Machine.load());
        }
    }

    private static BenchEngine.Timed run(SandboxProcess sandbox, int central, Map<String, String> overrides,
                                         String label, long local) throws Exception {
        Path pg = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "pg-tracker-");
        try (BenchEngine engine = BenchEngine.start(pg, sandbox.localUrl, sandbox.centralUrls.get(central),
                overrides)) {
            sandbox.ask("clear");
            String loadBefore = Machine.load();
            long cpu = Machine.cpuMillis();
            long sandboxCpu = sandbox.cpuMillis();
            BenchEngine.Timed t = engine.run("TRACKER_PROGRAMS_DATA_SYNC");
            System.out.printf("%s: %d tracked entities in %d ms = %.0f/s, %d ms CPU here, %d ms CPU in the sandbox; "
                            + "%d GETs to local, %d imports to central (settings: page size %d, parallelism %d; "
                            + "load %s -> %s)%n", label, local, t.millis(), t.perSecond(local),
                    Machine.cpuMillis() - cpu, sandbox.cpuMillis() - sandboxCpu,
                    sandbox.askLong("count local GET /api/tracker"),
                    sandbox.askLong("imports " + central), engine.engine.settings().trackerPageSize(),
                    engine.engine.settings().trackerParallelism(), loadBefore, Machine.load());
            DataValuesBenchmark.check(label + " (tracked entities)", local, sandbox.askLong("tracked " + central));
            return t;
        }
    }
}
