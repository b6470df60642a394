package org.dhis2.sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * B1 and B2 (bench/data-values.sh): a first DATA_SYNC of N generated data values through the engine (real embedded
 * PostgreSQL bookkeeping), then a raw copy of the same export to a second fresh central in the same run; values/s
 * of both, their ratio, the sandbox's bare export time, and this JVM's peak heap and RSS while the engine ran. The
 * DHIS2 pair runs in its own JVM, so this JVM holds the engine alone.
 */
public final class DataValuesBenchmark {

    private DataValuesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args);
        int values = BenchOptions.integer(o, "values", 100_000);
        int pageSize = BenchOptions.integer(o, "page-size", 10_000);
        System.out.println("B1/B2 data values: " + values + " generated, page size " + pageSize);
        System.out.println(Machine.describe());
        try (SandboxProcess sandbox = SandboxProcess.start(o.getOrDefault("sandbox-heap", "3g"),
                "--data-values=" + values, "--centrals=2", "--tracker-programs=0")) {
            long local = sandbox.askLong("values local");
            System.out.println("sandbox: " + sandbox.ready);

            HeapWatch heap = new HeapWatch();
            BenchEngine.Timed engineRun;
            long started = System.nanoTime();
            Path pg = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "pg-values-");
            try (BenchEngine engine = BenchEngine.start(pg, sandbox.localUrl, sandbox.centralUrls.get(0),
                    Map.of("sync.dataValues.pageSize", String.valueOf(pageSize)))) {
                long startMillis = (System.nanoTime() - started) / 1_000_000;
                String loadBefore = Machine.load();
                long cpu = Machine.cpuMillis();
                engineRun = engine.run("DATA_SYNC");
                System.out.printf("engine: %d values in %d ms = %.0f values/s, %d ms CPU (engine start %d ms, "
                                + "load %s -> %s)%n", local, engineRun.millis(), engineRun.perSecond(local),
                        Machine.cpuMillis() - cpu, startMillis, loadBefore, Machine.load());
            }
            heap.close();
            String memory = heap.describe();
            check("engine", local, sandbox.askLong("values 0"));

            RawCopy raw = new RawCopy(sandbox.localUrl);
            String loadBefore = Machine.load();
            long cpu = Machine.cpuMillis();
            RawCopy.Result copy = raw.copy(sandbox.centralUrls.get(1), pageSize);
            System.out.printf("raw copy: %d values in %d pages, %d MB, %d ms = %.0f values/s, %d ms CPU, %d pages "
                    + "not 2xx (load %s -> %s)%n", copy.values(), copy.pages(), copy.bytes() >> 20, copy.millis(),
                    copy.perSecond(), Machine.cpuMillis() - cpu, copy.non2xx(), loadBefore, Machine.load());
            check("raw copy", local, sandbox.askLong("values 1"));
            RawCopy.Result export = raw.exportOnly();
            System.out.printf("sandbox export alone: %d MB in %d ms%n", export.bytes() >> 20, export.millis());

            double ratio = engineRun.perSecond(local) / copy.perSecond();
            System.out.printf("RESULT B1 values=%d engine=%.0f/s raw=%.0f/s ratio=%.2f (target >= 0.80: %s) "
                            + "export=%dms load=%s%n", local, engineRun.perSecond(local), copy.perSecond(), ratio,
                    ratio >= 0.8 ? "met" : "NOT met", export.millis(), Machine.load());
            System.out.printf("RESULT B2 values=%d %s (max heap %d MB)%n", local, memory,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": central holds " + actual + " values, local " + expected);
        }
    }
}
