package org.dhis2.sync.job;

import java.time.Instant;

/**
 * One job as an operator sees it (names follow DHIS2's JobConfiguration fields).
 *
 * @param schedule the cron expression or preset as configured, "delay:N" for N seconds after the previous run, or
 *                 empty when the job runs only on demand
 * @param lastExecutedStatus SUCCESS, FAILED, RUNNING or NOT_STARTED
 * @param lastExecuted start of the last finished run, null if none
 * @param lastRuntimeMillis duration of the last finished run, null if none
 * @param nextExecutionTime when the schedule fires next, null when not scheduled
 */
public record JobOverview(String jobType, boolean enabled, String schedule, String lastExecutedStatus,
        Instant lastExecuted, Long lastRuntimeMillis, Instant nextExecutionTime, boolean running) {
}
