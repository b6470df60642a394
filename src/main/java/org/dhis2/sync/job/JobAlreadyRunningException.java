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

    /** The run holding it is on another node of the cluster. */
    public JobAlreadyRunningException(String jobType, Instant runningSince, String node) {
        super(jobType + " skipped: still running since " + runningSince + " on " + node);
    }

    private JobAlreadyRunningException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A cron fire whose run another node started already (job_run holds one run per fire). */
    public static JobAlreadyRunningException fireTaken(String jobType, Instant due, String node, Throwable cause) {
        return new JobAlreadyRunningException(jobType + " skipped: the run due at " + due + " was started by "
                + node, cause);
    }

    public JobAlreadyRunningException(String jobType, String sharingJobType, Instant runningSince) {
        super(jobType + " skipped: " + sharingJobType + ", which pushes the same data, is running since "
                + runningSince);
    }
}
