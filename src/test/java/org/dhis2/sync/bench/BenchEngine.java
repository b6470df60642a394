package org.dhis2.sync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.dhis2.sync.config.ConfigLoader;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;

/**
 * The engine under measurement: shipped defaults and route files, a fresh embedded PostgreSQL data folder (real
 * bookkeeping), the given local and central, and the benchmark's overrides.
 */
final class BenchEngine implements AutoCloseable {

    /** One job run: what the engine reported and how long the call took. */
    record Timed(JobRun run, long millis) {
        double perSecond(long items) {
            return items * 1000.0 / Math.max(1, millis);
        }
    }

    private static final String[] JOBS = {"DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC",
        "META_DATA_SYNC"};

    final Engine engine;

    private BenchEngine(Engine engine) {
        this.engine = engine;
    }

    static BenchEngine start(Path dataDir, String localUrl, String centralUrl, Map<String, String> overrides)
            throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put("local.url", localUrl);
        props.put("central.url", centralUrl);
        props.put("sync.db.embedded.dataDir", Files.createDirectories(dataDir).toString());
        props.put("sync.routes.dir", "routes");
        props.put("sync.management.port", String.valueOf(TestEngines.freePort()));
        // only the runs the benchmark starts: a scheduled run firing meanwhile would blur the figures
        for (String job : JOBS) {
            props.put("sync.jobs." + job + ".enabled", "false");
        }
        props.putAll(overrides);
        return new BenchEngine(Engine.start(SyncSettings.forRun(ConfigLoader.load(null, Map.of(), props))));
    }

    /** Runs a job (direct:default.job.TYPE) to its end; the run must succeed, else the figure would mean nothing. */
    Timed run(String jobType) {
        long t0 = System.nanoTime();
        engine.context().createProducerTemplate().send("direct:default.job." + jobType,
                e -> e.getMessage().setHeader("trigger", "BENCHMARK"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        JobRun run = engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class)
                .lastFinished(jobType).orElseThrow(() -> new IllegalStateException(jobType + " did not finish"));
        if (run.status() != JobRun.Status.SUCCESS) {
            throw new IllegalStateException(jobType + " ended " + run.status() + ": " + run.summary());
        }
        return new Timed(run, millis);
    }

    @Override
    public void close() {
        engine.close();
    }
}
