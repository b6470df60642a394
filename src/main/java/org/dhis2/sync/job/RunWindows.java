package org.dhis2.sync.job;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dhis2.sync.config.RunWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run windows ({@code sync.jobs.<TYPE>.window}): a scheduled fire outside its job's window is skipped and logged
 * (routes/job-schedules.camel.yaml, via {@link JobScheduler#checkOverlap}); a run that begins inside its window is
 * asked to stop at the window's end, like at shutdown: it takes no new page, settles the pages in flight, and what
 * it did not send waits for the next run. A run started on demand (run-now) outside the window is the operator's
 * explicit request: it runs, and to its end, since it has no window to end in.
 */
public final class RunWindows {

    private static final Logger LOG = LoggerFactory.getLogger(RunWindows.class);

    private final Map<String, RunWindow> windows;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public RunWindows(Map<String, RunWindow> windows) {
        this(windows, Clock.systemUTC());
    }

    RunWindows(Map<String, RunWindow> windows, Clock clock) {
        this.windows = Map.copyOf(windows);
        this.clock = clock;
    }

    /** Why a scheduled fire of the job must be skipped now, or empty when it is inside its window (or has none). */
    public Optional<String> outside(String jobType) {
        RunWindow w = windows.get(jobType);
        return w == null || w.contains(clock.instant()) ? Optional.empty()
                : Optional.of("outside its run window " + w + " (sync.jobs." + jobType + ".window)");
    }

    /** When the job's window opens next (for a delay schedule whose fire fell outside it). */
    public Optional<Instant> nextStart(String jobType) {
        RunWindow w = windows.get(jobType);
        return w == null ? Optional.empty() : Optional.of(w.nextStart(clock.instant()));
    }

    /** A run began: inside its window, it is asked to stop at the window's end. */
    public void begun(JobRun run) {
        RunWindow w = windows.get(run.jobType());
        Instant now = clock.instant();
        if (w == null || !w.contains(now)) {
            return;
        }
        long delay = Math.max(0, w.nextEnd(now).toEpochMilli() - now.toEpochMilli());
        timer().schedule(() -> {
            if (run.status() == JobRun.Status.RUNNING) {
                LOG.info("{} run {}: its run window {} ended; it takes no new page and settles those in flight",
                        run.jobType(), run.jobId(), w);
                run.requestStop("the end of its run window " + w);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dhis2-sync-run-windows");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
