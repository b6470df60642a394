package org.dhis2.sync.job;

/**
 * The names of a job's endpoints and schedule route, built only here: the job's route, its Quartz trigger (group =
 * sync pair, name = job type, so the clustered store holds each pair's schedules apart) and its delay timer endpoint.
 */
public final class JobEndpoints {

    private JobEndpoints() {
    }

    /** The route that runs the job (routes/data-sync-job.camel.yaml etc.). */
    public static String jobRoute(String syncPair, String jobType) {
        return "direct:" + syncPair + ".job." + jobType;
    }

    /** The same endpoint as Camel normalises it (direct://...), to find the route in the context. */
    public static String jobRouteUri(String syncPair, String jobType) {
        return jobRoute(syncPair, jobType).replaceFirst("^direct:", "direct://");
    }

    /** Id of the schedule route made from routes/job-schedules.camel.yaml. */
    public static String scheduleRouteId(String syncPair, String jobType) {
        return syncPair + ".schedule." + jobType;
    }

    /** Quartz group of the pair's cron triggers and jobs (trigger and job name: the job type). */
    public static String quartzGroup(String syncPair) {
        return syncPair;
    }

    /** The endpoint a delay timer fires into. */
    public static String delayEndpoint(String syncPair, String jobType) {
        return "direct:" + syncPair + ".jobDelay." + jobType;
    }
}
