package org.dhis2.sync.config;

import java.util.List;
import java.util.Map;

/**
 * When a job runs by itself ({@code sync.jobs.<TYPE>.*}): on a Quartz cron expression (or a preset), or a number of
 * seconds after its previous run finished, or only on demand. A disabled job keeps its schedule for display and can
 * still be run on demand.
 *
 * @param cron         the cron expression or preset as configured, empty when not set
 * @param quartzCron   the Quartz cron expression to fire on (a preset resolved), empty when not set
 * @param delaySeconds seconds after the previous run finished, 0 when not set
 */
public record JobSchedule(String jobType, boolean enabled, String cron, String quartzCron, int delaySeconds) {

    /** Every job type the engine knows, in display order; a new job is one more entry here and its keys in config. */
    public static final List<String> JOB_TYPES = List.of(
            "DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC", "META_DATA_SYNC",
            "TRACKER_DOWNLOAD", "RESERVED_VALUES");

    /** Cron presets (Quartz: seconds minutes hours day-of-month month day-of-week), at night in the engine's time zone. */
    public static final Map<String, String> PRESETS = Map.of(
            "daily", "0 0 2 * * ?",      // every day at 02:00
            "weekly", "0 0 2 ? * SUN",   // Sundays at 02:00
            "monthly", "0 0 2 1 * ?",    // the 1st of every month at 02:00
            "yearly", "0 0 2 1 1 ?");    // 1 January at 02:00

    /** The setting names under {@code sync.jobs.<TYPE>.}. */
    public static final List<String> SETTINGS = List.of("enabled", "cron", "delaySeconds", "window", "windowZone");

    public static String key(String jobType, String setting) {
        return "sync.jobs." + jobType + "." + setting;
    }

    public boolean isCron() {
        return !quartzCron.isEmpty();
    }

    public boolean isDelay() {
        return delaySeconds > 0;
    }

    /** The cron as configured, "delay:N", or empty when the job runs only on demand. */
    public String describe() {
        return isCron() ? cron : isDelay() ? "delay:" + delaySeconds : "";
    }
}
