package org.dhis2.sync.job;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.dhis2.sync.config.JobSchedule;

/**
 * The schedule routes to create from the templates in routes/job-schedules.camel.yaml: one per sync pair and enabled
 * job, template jobCronSchedule or jobDelaySchedule, route id and names from {@link JobEndpoints}
 * ({@code <pair>.schedule.<TYPE>}). Camel asks this bean (through the pairRoutes bean) when it loads the templates.
 */
public final class JobScheduleRoutes implements RouteTemplateParameterSource {

    private final Map<String, Map<String, Object>> routes = new LinkedHashMap<>();

    /** One pair's schedules. */
    public JobScheduleRoutes(String syncPair, List<JobSchedule> schedules) {
        add(syncPair, schedules);
    }

    /** Every pair's schedules, by pair. */
    public JobScheduleRoutes(Map<String, List<JobSchedule>> schedulesByPair) {
        schedulesByPair.forEach(this::add);
    }

    private void add(String syncPair, List<JobSchedule> schedules) {
        for (JobSchedule s : schedules) {
            if (!s.enabled()) {
                continue;
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("pair", syncPair);
            parameters.put("jobType", s.jobType());
            if (s.isCron()) {
                parameters.put(TEMPLATE_ID, "jobCronSchedule");
                parameters.put("cron", s.quartzCron());
            } else {
                parameters.put(TEMPLATE_ID, "jobDelaySchedule");
                parameters.put("delaySeconds", s.delaySeconds());
            }
            routes.put(JobEndpoints.scheduleRouteId(syncPair, s.jobType()), parameters);
        }
    }

    @Override
    public Set<String> routeIds() {
        return new LinkedHashSet<>(routes.keySet());
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        return new LinkedHashMap<>(routes.get(routeId));
    }
}
