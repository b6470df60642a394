package org.dhis2.sync.aggregate;

import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records an exception that escaped a stage as a failure of the exchange's job run (so it cannot end SUCCESS). */
public final class JobFailures {

    private static final Logger LOG = LoggerFactory.getLogger(JobFailures.class);

    private JobFailures() {
    }

    public static void record(Exchange exchange) {
        JobRun run = JobCoordinator.currentRun(exchange, "JobFailures.record");
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "unknown failure" : e.getMessage();
        run.recordFailure(reason);
        LOG.warn("{} failed: {}", run.jobType(), reason);
    }
}
