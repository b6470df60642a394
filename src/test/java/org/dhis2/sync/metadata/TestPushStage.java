package org.dhis2.sync.metadata;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;

/** A push stage for tests: counts its runs and records a failure when {@link #failWith} is set. */
public final class TestPushStage {

    volatile String failWith;
    final AtomicInteger runs = new AtomicInteger();

    public void push(Exchange exchange) {
        runs.incrementAndGet();
        JobRun run = exchange.getProperty(JobCoordinator.RUN_PROPERTY, JobRun.class);
        var process = run.progress().startProcess("Starting DataValueSynchronization job");
        if (failWith != null) {
            process.fail(failWith);
            run.recordFailure(failWith);
        } else {
            process.complete("Skipping synchronization, no new or updated DataValues");
        }
    }
}
