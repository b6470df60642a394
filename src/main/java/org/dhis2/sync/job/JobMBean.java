package org.dhis2.sync.job;

/**
 * A job in JMX ({@code dhis2sync:type=jobs,name=<TYPE>}): DHIS2's JobConfiguration fields and run-now. Times are
 * ISO-8601 instants (UTC), durations milliseconds; null when there is none.
 */
public interface JobMBean {

    String getJobType();

    /** SUCCESS, FAILED, RUNNING or NOT_STARTED. */
    String getLastExecutedStatus();

    /** Start of the last ended run. */
    String getLastExecuted();

    /** Duration of the last ended run, in milliseconds. */
    Long getLastRuntimeExecution();

    String getNextExecutionTime();

    boolean isRunning();

    boolean isEnabled();

    /** Cron expression or preset, "delay:N" (seconds after the previous run), or empty (on demand only). */
    String getSchedule();

    /** Starts a run now (trigger JMX) and returns its job id; fails when the job is running. */
    String execute();
}
