package org.dhis2.sync.aggregate;

import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;

/** Records an exception that escaped a stage as a failure of the exchange's job run (so it cannot end SUCCESS). */
public final class JobFailures {

    private JobFailures() {
    }

    public static void record(Exchange exchange) {
        JobRun run = JobCoordinator.currentRun(exchange, "JobFailures.record");
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        run.recordFailure(e == null ? "unknown failure" : e.getMessage());
    }
}
