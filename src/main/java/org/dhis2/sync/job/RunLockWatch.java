package org.dhis2.sync.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a run holds its cluster run locks, checks at the cluster's check-in interval that the PostgreSQL session
 * holding them is still there. When it is gone (the database restarted, the connection was cut), another node may
 * start the same job, and two runs of one job must not push and move its watermark at once: the run is asked to stop
 * as at shutdown (no new page, the pages in flight settle), ends CANCELLED, and the next run sends the rest.
 */
final class RunLockWatch {

    static final String CAUSE = "the loss of its run lock (the database session holding it ended, so another node"
            + " may run the job)";
    private static final Logger LOG = LoggerFactory.getLogger(RunLockWatch.class);
    /** One thread for every pair's runs: a check is one round trip to PostgreSQL, and only while runs go on. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final RunLocks locks;
    private final long everyMillis;
    private final Map<JobRun, ScheduledFuture<?>> watched = new ConcurrentHashMap<>();

    RunLockWatch(RunLocks locks, long everyMillis) {
        this.locks = locks;
        this.everyMillis = everyMillis;
    }

    void watch(JobRun run) {
        watched.put(run, TIMER.scheduleWithFixedDelay(() -> check(run), everyMillis, everyMillis,
                TimeUnit.MILLISECONDS));
    }

    void unwatch(JobRun run) {
        ScheduledFuture<?> check = watched.remove(run);
        if (check != null) {
            check.cancel(false);
        }
    }

    private void check(JobRun run) {
        try {
            if (run.status() == JobRun.Status.RUNNING && !run.stopRequested() && locks.lost(run.jobType())) {
                LOG.warn("{} run {} lost its run lock (its database session ended); it takes no new page and settles"
                        + " those in flight", run.jobType(), run.jobId());
                run.requestStop(CAUSE);
                unwatch(run);
            }
        } catch (RuntimeException e) { // a failed check must not end the checks
            LOG.warn("Could not check the run lock of {} run {}: {}", run.jobType(), run.jobId(), e.getMessage());
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dhis2-sync-run-lock-watch");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
