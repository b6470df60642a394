package org.dhis2.sync.job;

import java.time.Instant;

/**
 * A job was asked to run while a run of the same job, or of a job sharing a stage with it, is in progress: it is
 * skipped, never queued.
 */
public class JobAlreadyRunningException extends RuntimeException {

    public JobAlreadyRunningException(String jobType) {
        super(jobType + " is already running; this trigger is skipped");
    }

    public JobAlreadyRunningException(String jobType, Instant runningSince) {
        super(jobType + " skipped: still running since " + runningSince);
    }

    public JobAlreadyRunningException(String jobType, String sharingJobType, Instant runningSince) {
        super(jobType + " skipped: " + sharingJobType + ", which pushes the same data, is running since "
                + runningSince);
    }
}
