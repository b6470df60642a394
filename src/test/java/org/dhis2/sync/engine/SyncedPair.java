package org.dhis2.sync.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;

/** A sandbox pair with generated data and an engine syncing its local instance to its central one over real HTTP. */
public class SyncedPair implements AutoCloseable {

    public final SandboxPair pair;
    public final Engine engine;

    /** For fixtures that add helpers to a started pair. */
    protected SyncedPair(SyncedPair started) {
        this(started.pair, started.engine);
    }

    private SyncedPair(SandboxPair pair, Engine engine) {
        this.pair = pair;
        this.engine = engine;
    }

    /**
     * Starts the pair, fills it from {@code spec}, and starts an engine pointed at it with quick availability checks
     * and the settings {@code overrides} gives for the filled pair; nothing is left running when a step fails.
     */
    public static SyncedPair startSyncing(Path temp, int localVersion, int centralVersion, GeneratorSpec spec,
                                   Function<SandboxPair, Map<String, String>> overrides) throws Exception {
        SandboxPair pair = SandboxPair.start(Dhis2Version.of(localVersion), Dhis2Version.of(centralVersion));
        try {
            SandboxGenerator.populate(pair, spec);
            Map<String, String> props = new HashMap<>(Map.of(
                    "local.url", pair.localServer().url(), "central.url", pair.centralServer().url(),
                    "sync.availability.attempts", "2", "sync.availability.delayMillis", "1"));
            props.putAll(overrides.apply(pair));
            return new SyncedPair(pair, Engine.start(SyncSettings.forRun(
                    TestEngines.properties(temp.resolve("pg"), TestEngines.routesWith(temp), props))));
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    /** Runs a job now and returns the finished run. */
    public JobRun run(String jobType) {
        engine.context().createProducerTemplate().send("direct:default.job." + jobType, e -> { });
        return engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class)
                .lastFinished(jobType).orElseThrow();
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            pair.close();
        }
    }
}
