package org.dhis2.sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * B6, B7, B8 (bench/field-link.sh, issue 15): the first DATA_SYNC of N generated data values, engine against DHIS2
 * core's way (RawCopy: plain JSON with every field as the export gives it, 10,000 per page), each to its own fresh
 * central, bytes counted by the sandbox on central's side of its emulated link.
 * <ul>
 *   <li>B6: bytes on the wire per data value, both on an unlimited line (target engine ≤ 0.1× core's way);
 *   <li>B7: both over the {@code 3g} preset: engine time against the time the link needs for the engine's bytes
 *       (target ≤ 1.25×), and against core's way over the same link (target ≥ 5× faster);
 *   <li>B8: a proxy body limit of 1 MB: the engine's first sync completes, plain JSON (pages split) and gzip.
 * </ul>
 */
public final class FieldLinkBenchmark {

    private FieldLinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args);
        int values = BenchOptions.integer(o, "values", 100_000);
        boolean slow = !"false".equals(o.get("b7"));
        System.out.println("B6/B7/B8 field links: " + values + " generated data values, page size 10000");
        System.out.println(Machine.describe());
        try (SandboxProcess sandbox = SandboxProcess.start(o.getOrDefault("sandbox-heap", "4g"),
                "--data-values=" + values, "--centrals=6", "--tracker-programs=0")) {
            long live = sandbox.askLong("values local");
            System.out.println("sandbox: " + sandbox.ready);
            RawCopy raw = new RawCopy(sandbox.localUrl);

            // B6: bytes per value on an unlimited line
            sandbox.ask("link 0 lan");
            sandbox.ask("link 1 lan");
            Side engine = engine(sandbox, 0, Map.of(), live, "engine (defaults)");
            Side core = raw(sandbox, raw, 1, live);
            double perValueEngine = (double) engine.up / engine.values;
            double perValueCore = (double) core.up / core.values;
            double b6 = perValueEngine / perValueCore;
            System.out.printf("RESULT B6 values=%d engine=%.1f B/value (%d B up, %d B down) core-way=%.1f B/value "
                            + "(%d B up) ratio=%.3f (target <= 0.10: %s) load=%s%n", engine.values, perValueEngine,
                    engine.up, engine.down, perValueCore, core.up, b6, b6 <= 0.1 ? "met" : "NOT met", Machine.load());

            // B8: a 1 MB proxy body limit
            sandbox.ask("link 4 lan bodyLimit=1m");
            sandbox.ask("link 5 lan bodyLimit=1m");
            Side plain = engine(sandbox, 4, Map.of("central.compression", "false"), live, "engine, no compression");
            Side gzip = engine(sandbox, 5, Map.of(), live, "engine (defaults)");
            System.out.printf("RESULT B8 values=%d limit=1MB plain JSON: %s, %d POSTs for %d pages of 10000 "
                            + "(split: %d), %d ms; gzip: %s, %d POSTs, %d ms load=%s%n", live,
                    plain.status, plain.posts, (live + 9_999) / 10_000, plain.posts - (live + 9_999) / 10_000,
                    plain.millis, gzip.status, gzip.posts, gzip.millis, Machine.load());

            if (slow) {
                // B7: both over the 3g preset
                String link = sandbox.ask("link 2 3g");
                sandbox.ask("link 3 3g");
                System.out.println("link: " + link);
                long upBps = BenchOptions.integer(o, "up-bytes-per-second", 96_000);
                long downBps = BenchOptions.integer(o, "down-bytes-per-second", 200_000);
                // --page-size: the engine's sync.dataValues.pageSize over the link (default 10000, DHIS2's)
                // --parallelism: its sync.dataValues.parallelism (default 1, DHIS2's one page after the other)
                Map<String, String> pages = Map.of("sync.dataValues.pageSize", o.getOrDefault("page-size", "10000"),
                        "sync.dataValues.parallelism", o.getOrDefault("parallelism", "1"));
                Side slowEngine = engine(sandbox, 2, pages, live, "engine over 3g, page size "
                        + pages.get("sync.dataValues.pageSize") + ", pages in flight "
                        + pages.get("sync.dataValues.parallelism"));
                double linkSeconds = (double) slowEngine.up / upBps + (double) slowEngine.down / downBps;
                double overLink = slowEngine.millis / 1000.0 / linkSeconds;
                if ("false".equals(o.get("b7-core"))) { // the engine's side alone (e.g. another page size)
                    System.out.printf("RESULT B7 values=%d link=3g engine=%d ms for %d B up + %d B down (the link "
                                    + "needs %.1f s for them: ratio %.2f, target <= 1.25: %s) load=%s%n", live,
                            slowEngine.millis, slowEngine.up, slowEngine.down, linkSeconds, overLink,
                            overLink <= 1.25 ? "met" : "NOT met", Machine.load());
                    return;
                }
                Side slowCore = raw(sandbox, raw, 3, live);
                double speedup = (double) slowCore.millis / slowEngine.millis;
                System.out.printf("RESULT B7 values=%d link=3g engine=%d ms for %d B up + %d B down (the link needs "
                                + "%.1f s for them: ratio %.2f, target <= 1.25: %s) core-way=%d ms for %d B up "
                                + "(speed-up %.1f, target >= 5: %s) load=%s%n", live, slowEngine.millis, slowEngine.up,
                        slowEngine.down, linkSeconds, overLink, overLink <= 1.25 ? "met" : "NOT met",
                        slowCore.millis, slowCore.up, speedup, speedup >= 5 ? "met" : "NOT met", Machine.load());
            }
        }
    }

    /** What one side sent: values, bytes up to central and down from it, POSTs that reached it, time. */
    private record Side(long values, long up, long down, long posts, long millis, String status) {
    }

    private static Side engine(SandboxProcess sandbox, int central, Map<String, String> overrides, long live,
                               String label) throws Exception {
        Path pg = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "pg-link-");
        try (BenchEngine engine = BenchEngine.start(pg, sandbox.localUrl, sandbox.centralUrls.get(central),
                overrides)) {
            sandbox.ask("link " + central + " keep"); // counters from here: the engine's start is not counted
            BenchEngine.Timed run = engine.run("DATA_SYNC");
            long[] t = traffic(sandbox, central);
            long posts = sandbox.askLong("count " + central + " POST /api/dataValueSets");
            System.out.printf("%s -> central %d: %s in %d ms, %d requests, %d B up, %d B down, %d POSTs reached "
                            + "central (load %s)%n", label, central, run.run().status(), run.millis(), t[0], t[1], t[2],
                    posts, Machine.load());
            DataValuesBenchmark.check(label, live, sandbox.askLong("values " + central));
            return new Side(live, t[1], t[2], posts, run.millis(), run.run().status().name());
        }
    }

    private static Side raw(SandboxProcess sandbox, RawCopy raw, int central, long live) throws Exception {
        sandbox.ask("link " + central + " keep");
        RawCopy.Result copy = raw.copy(sandbox.centralUrls.get(central), 10_000);
        long[] t = traffic(sandbox, central);
        System.out.printf("core way -> central %d: %d values in %d pages, %d ms, %d B up, %d B down, %d pages not 2xx "
                + "(load %s)%n", central, copy.values(), copy.pages(), copy.millis(), t[1], t[2], copy.non2xx(),
                Machine.load());
        DataValuesBenchmark.check("core way", live, sandbox.askLong("values " + central));
        return new Side(copy.values(), t[1], t[2], copy.pages(), copy.millis(), "copied");
    }

    private static long[] traffic(SandboxProcess sandbox, int central) throws Exception {
        String[] parts = sandbox.ask("traffic " + central).trim().split("\\s+");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }
}
