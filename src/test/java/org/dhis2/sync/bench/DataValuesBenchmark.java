package org.dhis2.sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * B1 and B2 (bench/data-values.sh): a first DATA_SYNC of N generated data values through the engine (real embedded
 * PostgreSQL bookkeeping) against a raw copy of the same export (RawCopy), each to its own fresh central, in the
 * order engine, raw, raw, engine so that warm-up (of this JVM and of the sandbox's import path) and a drifting
 * machine load weigh on both sides alike; values/s of both from the sums, their ratio, the sandbox's bare export
 * time, and this JVM's peak heap and RSS during the first engine run. The DHIS2 pair runs in its own JVM, so this JVM
 * holds the engine alone while it is measured.
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
        try (SandboxProcess sandbox = SandboxProcess.start(o.getOrDefault("sandbox-heap", "4g"),
                "--data-values=" + values, "--centrals=4", "--tracker-programs=0")) {
            long live = sandbox.askLong("values local");
            System.out.println("sandbox: " + sandbox.ready);

            HeapWatch heap = new HeapWatch();
            long engineMillis = engine(sandbox, 0, pageSize, live);
            heap.close();
            String memory = heap.describe();

            RawCopy raw = new RawCopy(sandbox.localUrl);
            RawCopy.Result copy = rawCopy(sandbox, raw, 1, pageSize, live);
            long rawMillis = copy.millis() + rawCopy(sandbox, raw, 2, pageSize, live).millis();
            engineMillis += engine(sandbox, 3, pageSize, live);
            RawCopy.Result export = raw.exportOnly();
            System.out.printf("sandbox export alone: %d values, %d MB in %d ms%n", copy.values(),
                    export.bytes() >> 20, export.millis());

            long sent = copy.values(); // the export's values, deleted ones included: what both sent
            double engineRate = 2 * sent * 1000.0 / engineMillis;
            double rawRate = 2 * sent * 1000.0 / rawMillis;
            double ratio = engineRate / rawRate;
            System.out.printf("RESULT B1 values=%d engine=%.0f/s raw=%.0f/s ratio=%.2f (target >= 0.80: %s) "
                            + "export=%dms load=%s%n", sent, engineRate, rawRate, ratio, ratio >= 0.8 ? "met"
                            : "NOT met", export.millis(), Machine.load());
            System.out.printf("RESULT B2 values=%d %s (max heap %d MB)%n", sent, memory,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static long engine(SandboxProcess sandbox, int central, int pageSize, long live) throws Exception {
        long started = System.nanoTime();
        Path pg = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "pg-values-");
        try (BenchEngine engine = BenchEngine.start(pg, sandbox.localUrl, sandbox.centralUrls.get(central),
                Map.of("sync.dataValues.pageSize", String.valueOf(pageSize)))) {
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            String loadBefore = Machine.load();
            long cpu = Machine.cpuMillis();
            long sandboxCpu = sandbox.cpuMillis();
            BenchEngine.Timed run = engine.run("DATA_SYNC");
            System.out.printf("engine -> central %d: %d ms, %d ms CPU here, %d ms CPU in the sandbox (engine start "
                            + "%d ms, load %s -> %s)%n", central, run.millis(), Machine.cpuMillis() - cpu,
                    sandbox.cpuMillis() - sandboxCpu, startMillis, loadBefore, Machine.load());
            check("engine", live, sandbox.askLong("values " + central));
            return run.millis();
        }
    }

    private static RawCopy.Result rawCopy(SandboxProcess sandbox, RawCopy raw, int central, int pageSize, long live)
            throws Exception {
        String loadBefore = Machine.load();
        long cpu = Machine.cpuMillis();
        long sandboxCpu = sandbox.cpuMillis();
        RawCopy.Result copy = raw.copy(sandbox.centralUrls.get(central), pageSize);
        System.out.printf("raw copy -> central %d: %d values in %d pages, %d MB, %d ms, %d ms CPU here, %d ms CPU "
                        + "in the sandbox, %d pages not 2xx (load %s -> %s)%n", central, copy.values(), copy.pages(),
                copy.bytes() >> 20, copy.millis(), Machine.cpuMillis() - cpu, sandbox.cpuMillis() - sandboxCpu,
                copy.non2xx(), loadBefore, Machine.load());
        check("raw copy", live, sandbox.askLong("values " + central));
        return copy;
    }

    static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": central holds " + actual + " values, local " + expected);
        }
    }
}
