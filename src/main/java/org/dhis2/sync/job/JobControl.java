package org.dhis2.sync.job;

import java.util.List;

/**
 * What an operator can see of the jobs and do with them: the contract behind the admin API's {@code /api/jobs} and
 * the per-job JMX MBeans. Bound in the registry as {@code jobControl}.
 */
public interface JobControl {

    /** Every known job type (enabled or not), in a stable order. */
    List<JobOverview> overview();

    /**
     * Starts a run of the job now, in the background, and returns once the run has begun.
     *
     * @param trigger who asked, recorded with the run (e.g. MANUAL, JMX)
     * @return the job id of the new run
     * @throws JobAlreadyRunningException when a run of this job type is in progress (never queued)
     * @throws IllegalArgumentException when the job type is unknown
     */
    String execute(String jobType, String trigger);

    /**
     * Runs the job now and waits for the run to end, with extra exchange properties telling the run what to do
     * (e.g. a download by UID).
     *
     * @throws JobAlreadyRunningException when a run of this job type (or one sharing a stage) is in progress
     */
    JobRun runAndWait(String jobType, String trigger, java.util.Map<String, Object> properties);

    /** The live progress tree (DHIS2's array of processes) of the job's running run; empty when none runs. */
    java.util.Optional<Object> runningProgress(String jobType);
}
