package org.dhis2.sync.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;

/**
 * The engine's own Prometheus metrics (served at /observe/metrics with Camel's): per sync pair and stage the objects
 * sent and settled, conflicts, failed pages, run durations and the last successful run; per job the runs by status
 * and their durations. Published once per job run, from the numbers its stages reported ({@link StageOutcome}).
 */
public final class SyncMetrics {

    /** The stage labels, registered up front so every series exists (at 0) before the first run. */
    public static final List<String> STAGES = List.of("dataValues", "completeRegistrations", "events",
            "trackedEntities", "relationships", "metadataVersions", "trackerDownload", "reservedValues");

    private final MeterRegistry registry;
    private final String pair;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry, String pair) {
        this.registry = registry;
        this.pair = pair;
        STAGES.forEach(this::stageMeters);
    }

    /** A job run ended: its stages' numbers, then the run itself. */
    public void jobFinished(JobRun run) {
        run.stageOutcomes().forEach(this::stageFinished);
        Counter.builder("dhis2sync.job.runs").description("Job runs by final status")
                .tags("pair", pair, "job", run.jobType(), "status", run.status().name()).register(registry)
                .increment();
        Timer.builder("dhis2sync.job.duration").description("Duration of job runs")
                .tags("pair", pair, "job", run.jobType()).register(registry)
                .record(Duration.between(run.started(), run.finished()));
    }

    void stageFinished(StageOutcome o) {
        StageMeters m = stageMeters(o.stage());
        m.sent.increment(o.sent());
        m.settled.increment(o.settled());
        m.conflicts.increment(o.conflicts());
        m.pagesFailed.increment(o.pagesFailed());
        m.duration.record(o.duration());
        if (o.succeeded()) {
            lastSuccess.get(o.stage()).set(System.currentTimeMillis() / 1000);
        }
    }

    private record StageMeters(Counter sent, Counter settled, Counter conflicts, Counter pagesFailed,
                               Timer duration) {
    }

    private StageMeters stageMeters(String stage) {
        lastSuccess.computeIfAbsent(stage, s -> {
            AtomicLong epochSeconds = new AtomicLong();
            Gauge.builder("dhis2sync.stage.last.success.timestamp", epochSeconds, AtomicLong::get).baseUnit("seconds")
                    .description("End of the stage's last successful run, epoch seconds (0 = none since start)")
                    .tags("pair", pair, "stage", s).register(registry);
            return epochSeconds;
        });
        return new StageMeters(
                counter("dhis2sync.objects.sent", "Objects sent to the receiving DHIS2", stage),
                counter("dhis2sync.objects.settled", "Objects the receiver accepted or rejected as a conflict", stage),
                counter("dhis2sync.conflicts", "Objects rejected by the receiver, recorded as conflicts", stage),
                counter("dhis2sync.pages.failed", "Pages that did not settle (retries exhausted, aborted import)",
                        stage),
                Timer.builder("dhis2sync.stage.duration").description("Duration of stage runs")
                        .tags("pair", pair, "stage", stage).register(registry));
    }

    private Counter counter(String name, String description, String stage) {
        return Counter.builder(name).description(description).tags("pair", pair, "stage", stage).register(registry);
    }
}
