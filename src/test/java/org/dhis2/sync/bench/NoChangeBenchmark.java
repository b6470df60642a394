package org.dhis2.sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * B4 (bench/no-change.sh): after a full first sync, a second run of the same job with nothing changed on local:
 * its wall time and the import requests central received (from the sandbox's request log). For DATA_SYNC,
 * EVENT_PROGRAMS_DATA_SYNC and TRACKER_PROGRAMS_DATA_SYNC.
 */
public final class NoChangeBenchmark {

    private NoChangeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args);
        int values = BenchOptions.integer(o, "values", 100_000);
        int trackedEntities = BenchOptions.integer(o, "tracked-entities", 10_000);
        int events = BenchOptions.integer(o, "events", 5_000);
        System.out.printf("B4 no-change run: %d data values, %d events, %d tracked entities%n", values, events,
                trackedEntities);
        System.out.println(Machine.describe());
        try (SandboxProcess sandbox = SandboxProcess.start(o.getOrDefault("sandbox-heap", "2g"),
                "--data-values=" + values, "--registrations=0.3", "--event-programs=1", "--events=" + events,
                "--tracked-entities=" + trackedEntities, "--relationships=" + trackedEntities / 20)) {
            System.out.println("sandbox: " + sandbox.ready);
            Path pg = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "pg-nochange-");
            try (BenchEngine engine = BenchEngine.start(pg, sandbox.localUrl, sandbox.centralUrls.get(0), Map.of())) {
                for (String job : List.of("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC")) {
                    sandbox.ask("clear");
                    BenchEngine.Timed first = engine.run(job);
                    long firstImports = sandbox.askLong("imports 0");
                    sandbox.ask("clear");
                    String loadBefore = Machine.load();
                    BenchEngine.Timed second = engine.run(job);
                    long imports = sandbox.askLong("imports 0");
                    long reads = sandbox.askLong("count local GET /api");
                    System.out.printf("RESULT B4 %s first run %d ms with %d import requests; no-change run %d ms "
                                    + "with %d import requests and %d GETs to local (target < 2000 ms and 0: %s) "
                                    + "load %s -> %s%n", job, first.millis(), firstImports, second.millis(), imports,
                            reads, second.millis() < 2000 && imports == 0 ? "met" : "NOT met", loadBefore,
                            Machine.load());
                }
            }
            DataValuesBenchmark.check("DATA_SYNC", sandbox.askLong("values local"), sandbox.askLong("values 0"));
            DataValuesBenchmark.check("TRACKER_PROGRAMS_DATA_SYNC (tracked entities)",
                    sandbox.askLong("tracked local"), sandbox.askLong("tracked 0"));
        }
    }
}
