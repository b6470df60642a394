package org.dhis2.sync.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.pairs.PairBeans;

/**
 * B9 (bench/pairs.sh): N sync pairs (small sandbox locals, one central) in one engine. After every pair's first
 * sync, every pair runs its push jobs with nothing changed, all pairs at once: the wall time until the last one
 * ended, the most requests central served at once against central.maxConcurrentRequests, and the engine's heap
 * per idle pair (heap after GC with N pairs minus with one pair, over N - 1); --histogram also prints which classes
 * that heap is made of.
 */
public final class PairsBenchmark {

    private static final List<String> JOBS = List.of("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC",
            "TRACKER_PROGRAMS_DATA_SYNC");

    private PairsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args);
        int pairs = BenchOptions.integer(o, "pairs", 200);
        int cap = BenchOptions.integer(o, "cap", 8);
        Map<String, String> engineProps = new HashMap<>(Map.of("central.maxConcurrentRequests", String.valueOf(cap)));
        o.forEach((key, value) -> { // --camel.x=y / --sync.x=y: an engine property, to compare what a setting costs
            if (key.startsWith("camel.") || key.startsWith("sync.")) {
                engineProps.put(key, value);
            }
        });
        if (o.containsKey("jmx-level")) { // camel.main.jmxManagementMBeansLevel, to compare what JMX costs per pair
            engineProps.put("camel.main.jmxManagementMBeansLevel", o.get("jmx-level"));
        }
        System.out.printf("B9 %d pairs in one engine node (small locals, one central, central.maxConcurrentRequests"
                + " %d)%n", pairs, cap);
        System.out.println(Machine.describe());
        try (SandboxProcess sandbox = SandboxProcess.start(o.getOrDefault("sandbox-heap", "4g"),
                "--org-units=6", "--data-elements=8", "--periods=3", "--data-values=100", "--registrations=0.3",
                "--event-programs=1", "--events=10", "--tracked-entities=5", "--extra-locals=" + (pairs - 1))) {
            System.out.println("sandbox: " + sandbox.ready.replaceAll(" locals=\\S+", " locals=..."));
            String central = sandbox.centralUrls.get(0);
            long onePair;
            HeapHistogram onePairClasses;
            Path bench = Files.createDirectories(Path.of("target", "bench"));
            try (BenchEngine engine = BenchEngine.start(Files.createTempDirectory(bench, "pg-pairs1-"),
                    sandbox.localUrl, central, engineProps)) {
                onePair = heapAfterGc();
                onePairClasses = o.containsKey("histogram") ? HeapHistogram.take() : null;
            }
            Map<String, String> props = new HashMap<>(engineProps);
            for (int i = 0; i < sandbox.extraLocalUrls.size(); i++) {
                String p = "pair.p" + (i + 1) + ".";
                props.put(p + "local.url", sandbox.extraLocalUrls.get(i));
                props.put(p + "local.username", "admin");
                props.put(p + "local.password", "district");
                props.put(p + "central.url", central);
                props.put(p + "central.username", "admin");
                props.put(p + "central.password", "district");
            }
            long t0 = System.nanoTime();
            try (BenchEngine engine = BenchEngine.start(Files.createTempDirectory(bench, "pg-pairs-"),
                    sandbox.localUrl, central, props)) {
                long startMillis = (System.nanoTime() - t0) / 1_000_000;
                long idle = heapAfterGc();
                double perPair = (idle - onePair) / (double) Math.max(1, pairs - 1) / (1024 * 1024);
                System.out.printf("RESULT B9 engine start with %d pairs %d ms, %d routes; heap after GC %d MiB"
                                + " (one pair: %d MiB): %.2f MiB per idle pair (target <= 2: %s)%n", pairs,
                        startMillis, engine.engine.context().getRoutes().size(), idle >> 20, onePair >> 20, perPair,
                        perPair <= 2 ? "met" : "NOT met");
                System.out.println("JMX beans by type: " + jmxBeans());
                if (onePairClasses != null) {
                    System.out.print("heap growth per pair added, by class:\n"
                            + HeapHistogram.take().growthPer(onePairClasses, pairs - 1, 60));
                }
                long first = everyPair(engine, pairs);
                System.out.printf("first sync of every pair: %d ms%n", first);
                sandbox.ask("link 0 keep");
                sandbox.ask("clear");
                long noChange = everyPair(engine, pairs);
                long peak = sandbox.askLong("peak 0");
                long imports = sandbox.askLong("imports 0");
                System.out.printf("RESULT B9 no-change runs of %d pairs x %d jobs, all pairs at once: %d ms"
                                + " (target <= 60000: %s), %d import requests to central; central's peak concurrent"
                                + " requests %d, cap %d (never exceeded: %s)%n", pairs, JOBS.size(), noChange,
                        noChange <= 60_000 ? "met" : "NOT met", imports, peak, cap, peak <= cap ? "yes" : "NO");
            }
            if (o.containsKey("compare-template-route-mbeans")) { // the same heap measure, those MBeans left out
                String key = "camel.main.jmxManagementRegisterRoutesCreateByTemplate";
                Map<String, String> without = new HashMap<>(engineProps);
                without.put(key, "false");
                long onePairWithout;
                try (BenchEngine engine = BenchEngine.start(Files.createTempDirectory(bench, "pg-pairs1-"),
                        sandbox.localUrl, central, without)) {
                    onePairWithout = heapAfterGc();
                }
                Map<String, String> allWithout = new HashMap<>(props);
                allWithout.put(key, "false");
                try (BenchEngine engine = BenchEngine.start(Files.createTempDirectory(bench, "pg-pairs-"),
                        sandbox.localUrl, central, allWithout)) {
                    double perPair = (heapAfterGc() - onePairWithout) / (double) Math.max(1, pairs - 1)
                            / (1024 * 1024);
                    System.out.printf("RESULT B9 with %s=false: %.2f MiB per idle pair (target <= 2: %s)%n", key,
                            perPair, perPair <= 2 ? "met" : "NOT met");
                }
            }
        }
    }

    /** Every pair runs the push jobs one after the other; all pairs at once. Fails unless every run succeeded. */
    private static long everyPair(BenchEngine engine, int pairs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(pairs);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (PairBeans pair : engine.engine.pairs().values()) {
                runs.add(pool.submit(() -> {
                    for (String job : JOBS) {
                        JobRun run = pair.jobControl().runAndWait(job, "BENCHMARK", Map.of());
                        if (run.status() != JobRun.Status.SUCCESS) {
                            throw new IllegalStateException(pair.name() + " " + job + ": " + run.summary());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            pool.shutdownNow();
        }
    }

    private static java.util.Map<String, Integer> jmxBeans() {
        java.util.Map<String, Integer> n = new java.util.TreeMap<>();
        for (javax.management.ObjectName name : ManagementFactory.getPlatformMBeanServer().queryNames(null, null)) {
            n.merge(name.getDomain() + ":" + name.getKeyProperty("type"), 1, Integer::sum);
        }
        n.values().removeIf(count -> count < 10);
        return n;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
