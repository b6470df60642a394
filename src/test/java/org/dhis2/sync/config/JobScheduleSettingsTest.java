package org.dhis2.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** sync.jobs.* keys: presets, Quartz cron validation, cron and delay exclusive, typos named. */
class JobScheduleSettingsTest {

    static SyncSettings settings(Map<String, String> overrides) {
        return SyncSettings.forValidation(ConfigLoader.load(null, Map.of(), overrides));
    }

    static JobSchedule schedule(SyncSettings settings, String type) {
        return settings.jobSchedules().stream().filter(s -> s.jobType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void shippedDefaultsScheduleEveryJob() {
        SyncSettings s = settings(Map.of());
        assertThat(s.jobSchedules()).extracting(JobSchedule::jobType).containsExactlyElementsOf(JobSchedule.JOB_TYPES);
        // the tracker download writes into the local instance: a site turns it on when its central user's capture
        // scope is right (README "Tracker download"); every other job runs by default
        assertThat(s.jobSchedules()).filteredOn(j -> !j.jobType().equals("TRACKER_DOWNLOAD"))
                .allMatch(JobSchedule::enabled);
        assertThat(schedule(s, "TRACKER_DOWNLOAD").enabled()).isFalse();
        assertThat(schedule(s, "TRACKER_DOWNLOAD").describe()).isEqualTo("delay:600");
        assertThat(schedule(s, "DATA_SYNC").describe()).isEqualTo("delay:300");
        assertThat(schedule(s, "META_DATA_SYNC").describe()).isEqualTo("daily");
        assertThat(schedule(s, "META_DATA_SYNC").quartzCron()).isEqualTo("0 0 2 * * ?");
    }

    @Test
    void presetsMapToQuartzCronsAndExpressionsPassThrough() {
        SyncSettings s = settings(Map.of(
                "sync.jobs.DATA_SYNC.cron", "Weekly", "sync.jobs.DATA_SYNC.delaySeconds", "",
                "sync.jobs.EVENT_PROGRAMS_DATA_SYNC.cron", "monthly", "sync.jobs.EVENT_PROGRAMS_DATA_SYNC.delaySeconds", "",
                "sync.jobs.TRACKER_PROGRAMS_DATA_SYNC.cron", "0 */5 * * * ?",
                "sync.jobs.TRACKER_PROGRAMS_DATA_SYNC.delaySeconds", "",
                "sync.jobs.META_DATA_SYNC.cron", "yearly"));
        assertThat(schedule(s, "DATA_SYNC").quartzCron()).isEqualTo("0 0 2 ? * SUN");
        assertThat(schedule(s, "DATA_SYNC").describe()).isEqualTo("Weekly");
        assertThat(schedule(s, "EVENT_PROGRAMS_DATA_SYNC").quartzCron()).isEqualTo("0 0 2 1 * ?");
        assertThat(schedule(s, "TRACKER_PROGRAMS_DATA_SYNC").quartzCron()).isEqualTo("0 */5 * * * ?");
        assertThat(schedule(s, "META_DATA_SYNC").quartzCron()).isEqualTo("0 0 2 1 1 ?");
        assertThat(schedule(s, "META_DATA_SYNC").isDelay()).isFalse();
    }

    @Test
    void badCronNamesTheKeyWithQuartzsReason() {
        assertThatThrownBy(() -> settings(Map.of("sync.jobs.META_DATA_SYNC.cron", "0 0 25 * * ?")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sync.jobs.META_DATA_SYNC.cron: '0 0 25 * * ?' is not a Quartz cron expression")
                .hasMessageContaining("Hour values must be between 0 and 23");
        assertThatThrownBy(() -> settings(Map.of("sync.jobs.META_DATA_SYNC.cron", "hourly")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sync.jobs.META_DATA_SYNC.cron: 'hourly'")
                .hasMessageContaining("daily, monthly, weekly, yearly");
    }

    @Test
    void cronAndDelayTogetherIsAnErrorNamingBothKeys() {
        assertThatThrownBy(() -> settings(Map.of("sync.jobs.DATA_SYNC.cron", "daily")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sync.jobs.DATA_SYNC.cron: set either sync.jobs.DATA_SYNC.cron or "
                        + "sync.jobs.DATA_SYNC.delaySeconds, not both");
    }

    @Test
    void enabledWithoutScheduleBadDelayAndUnknownKeysAreNamed() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> settings(Map.of(
                "sync.jobs.DATA_SYNC.delaySeconds", "",
                "sync.jobs.EVENT_PROGRAMS_DATA_SYNC.delaySeconds", "0",
                "sync.jobs.META_DATA_SYNC.enabled", "yes",
                "sync.jobs.DATA_SNYC.cron", "daily",
                "sync.jobs.DATA_SYNC.delay", "60")));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("sync.jobs.DATA_SYNC.enabled: is true but neither "
                + "sync.jobs.DATA_SYNC.cron nor sync.jobs.DATA_SYNC.delaySeconds is set"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("sync.jobs.EVENT_PROGRAMS_DATA_SYNC.delaySeconds: '0' is outside"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("sync.jobs.META_DATA_SYNC.enabled: 'yes' is not true or false"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("sync.jobs.DATA_SNYC.cron: unknown job setting"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("sync.jobs.DATA_SYNC.delay: unknown job setting"));
    }

    @Test
    void disabledJobKeepsItsScheduleForDisplay() {
        JobSchedule s = schedule(settings(Map.of("sync.jobs.DATA_SYNC.enabled", "false")), "DATA_SYNC");
        assertThat(s.enabled()).isFalse();
        assertThat(s.describe()).isEqualTo("delay:300");
    }
}
