package org.dhis2.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dhis2.sync.config.JobSchedule;
import org.junit.jupiter.api.Test;

/** One schedule route per enabled job, from the template that matches its schedule. */
class JobScheduleRoutesTest {

    @Test
    void enabledJobsGetTheirTemplateAndParameters() {
        JobScheduleRoutes routes = new JobScheduleRoutes("default", List.of(
                new JobSchedule("DATA_SYNC", true, "", "", 120),
                new JobSchedule("EVENT_PROGRAMS_DATA_SYNC", false, "", "", 60),
                new JobSchedule("META_DATA_SYNC", true, "daily", "0 0 2 * * ?", 0)));
        assertThat(routes.routeIds()).containsExactly("default.schedule.DATA_SYNC", "default.schedule.META_DATA_SYNC");
        assertThat(routes.parameters("default.schedule.DATA_SYNC")).containsEntry("templateId", "jobDelaySchedule")
                .containsEntry("jobType", "DATA_SYNC").containsEntry("delaySeconds", 120).doesNotContainKey("cron")
                .containsEntry("pair", "default");
        assertThat(routes.parameters("default.schedule.META_DATA_SYNC")).containsEntry("templateId", "jobCronSchedule")
                .containsEntry("jobType", "META_DATA_SYNC").containsEntry("cron", "0 0 2 * * ?");
    }
}
