package org.dhis2.sync.config;

import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import org.quartz.CronExpression;

/** Reads the sync.jobs.TYPE.* settings: each job type's schedule and run window, and rejects unknown job keys. */
final class JobSettingsReader {
    private final SettingsChecker c;

    JobSettingsReader(SettingsChecker c) {
        this.c = c;
    }

    /** sync.jobs.TYPE.window / .windowZone; no window = the job may run at any time. */
    Optional<RunWindow> runWindow(String type) {
        String key = JobSchedule.key(type, "window");
        String value = c.text(key);
        String zone = c.text(JobSchedule.key(type, "windowZone"));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunWindow.parse(value, zone));
        } catch (IllegalArgumentException e) {
            c.problem(e.getMessage().startsWith("'" + zone + "' is not a time zone") && !zone.isEmpty()
                    ? JobSchedule.key(type, "windowZone") : key, e.getMessage());
            return Optional.empty();
        }
    }

    /** sync.jobs.TYPE.enabled / .cron (Quartz or a preset) / .delaySeconds; cron and delay exclude each other. */
    JobSchedule jobSchedule(String type) {
        String enabledKey = JobSchedule.key(type, "enabled");
        String cronKey = JobSchedule.key(type, "cron");
        String delayKey = JobSchedule.key(type, "delaySeconds");
        boolean enabled = c.bool(enabledKey);
        String cron = c.text(cronKey);
        String delay = c.text(delayKey);
        String quartzCron = "";
        int delaySeconds = 0;
        if (!cron.isEmpty() && !delay.isEmpty()) {
            c.problem(cronKey, "set either " + cronKey + " or " + delayKey + ", not both");
            return new JobSchedule(type, false, cron, "", 0);
        }
        if (!cron.isEmpty()) {
            quartzCron = JobSchedule.PRESETS.getOrDefault(cron.toLowerCase(Locale.ROOT), cron);
            try {
                CronExpression.validateExpression(quartzCron);
            } catch (ParseException e) {
                c.problem(cronKey, "'" + cron + "' is not a Quartz cron expression (" + e.getMessage()
                        + "); use 'seconds minutes hours day-of-month month day-of-week [year]', e.g. '0 0 2 * * ?',"
                        + " or a preset: " + String.join(", ", JobSchedule.PRESETS.keySet().stream().sorted().toList()));
                quartzCron = "";
            }
        }
        if (!delay.isEmpty()) {
            delaySeconds = c.integer(delayKey, 1, 2_592_000);
        }
        if (enabled && cron.isEmpty() && delay.isEmpty()) {
            c.problem(enabledKey, "is true but neither " + cronKey + " nor " + delayKey + " is set");
        }
        return new JobSchedule(type, enabled, cron, quartzCron, delaySeconds);
    }

    /** A sync.jobs.* key for a job type or setting that does not exist is a typo that would silently do nothing. */
    void unknownJobKeys() {
        for (String key : c.keys()) {
            if (!key.startsWith("sync.jobs.")) {
                continue;
            }
            String rest = key.substring("sync.jobs.".length());
            int dot = rest.lastIndexOf('.');
            String type = dot < 0 ? rest : rest.substring(0, dot);
            String setting = dot < 0 ? "" : rest.substring(dot + 1);
            if (!JobSchedule.JOB_TYPES.contains(type) || !JobSchedule.SETTINGS.contains(setting)) {
                c.problem(key, "unknown job setting; job types: " + String.join(", ", JobSchedule.JOB_TYPES)
                        + "; settings: " + String.join(", ", JobSchedule.SETTINGS));
            }
        }
    }
}
