package org.dhis2.sync.pairs;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.dhis2.sync.aggregate.AggregateBookkeeping;
import org.dhis2.sync.aggregate.CompleteRegistrationSync;
import org.dhis2.sync.aggregate.DataValueSync;
import org.dhis2.sync.aggregate.OverlapMemory;
import org.dhis2.sync.config.PairConfigs;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.download.TrackerDownloadStage;
import org.dhis2.sync.http.RequestCompression;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobHistory;
import org.dhis2.sync.job.JobMBeans;
import org.dhis2.sync.job.JobOperations;
import org.dhis2.sync.job.JobScheduler;
import org.dhis2.sync.job.RunWindows;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.metadata.DataPushStages;
import org.dhis2.sync.metadata.MetadataVersionBookkeeping;
import org.dhis2.sync.metadata.MetadataVersionSync;
import org.dhis2.sync.observe.SyncMetrics;
import org.dhis2.sync.reserved.ReservedValueBeans;
import org.dhis2.sync.stage.AvailabilityCheck;
import org.dhis2.sync.tracker.TrackerPushStage;

/**
 * The beans of one sync pair, bound as {@code <pair>.<name>} for its route templates ({@code ref: "{{pair}}.name"}).
 * The pair {@value PairConfigs#DEFAULT} is also bound under the bare names, as before pairs existed (Java callers
 * and the tools that look beans up by name).
 */
public final class PairBeans {

    private final String name;
    private final SyncSettings settings;
    private final JobCoordinator jobs;
    private final JobScheduler jobScheduler;
    private final JobHistory jobHistory;
    private final JobOperations jobControl;
    private final JobMBeans jobMBeans;
    private final Map<String, Object> beans = new LinkedHashMap<>();

    public PairBeans(String name, SyncSettings settings, DataSource dataSource, PrometheusMeterRegistry meters) {
        this.name = name;
        this.settings = settings;
        this.jobs = new JobCoordinator(dataSource, name, settings.clusterCheckinIntervalMillis());
        // job schedules (routes/job-schedules.camel.yaml), run-now (jobControl) and the job MBeans
        this.jobScheduler = new JobScheduler(name, settings.jobSchedules(), jobs, new RunWindows(settings.runWindows()));
        this.jobHistory = new JobHistory(dataSource, name);
        this.jobControl = new JobOperations(jobs, jobScheduler, jobHistory);
        this.jobMBeans = new JobMBeans(name, jobControl);
        jobs.onFinish(new SyncMetrics(meters, name)::jobFinished);
        beans.put("syncSettings", settings);
        beans.put("localDhis2", settings.local());
        beans.put("centralDhis2", settings.central());
        beans.put("jobs", jobs);
        beans.put("jobScheduler", jobScheduler);
        beans.put("jobControl", jobControl);
        beans.put("availabilityCheck", new AvailabilityCheck(settings.availabilityAttempts()));
        beans.put("metadataVersions", new MetadataVersionSync(new MetadataVersionBookkeeping(dataSource, name),
                settings.stopMetadataSyncIfVersionsDiffer()));
        beans.put("dataPushStages", new DataPushStages());
        // the page size that worked is learned per central and stage: pairs to one central share it
        AdaptivePageSizes pageSizes = new AdaptivePageSizes(dataSource, settings.central().url(),
                settings.load().growAfter());
        TrackerPushStage eventSync = TrackerPushStage.events(dataSource, name, settings, pageSizes);
        TrackerPushStage trackerSync = TrackerPushStage.trackedEntities(dataSource, name, settings, pageSizes);
        beans.put("eventSync", eventSync);
        beans.put("trackerSync", trackerSync);
        beans.put("eventRelationships", eventSync.relationshipSteps());
        beans.put("trackerRelationships", trackerSync.relationshipSteps());
        beans.put("dataValueSync", new DataValueSync(new AggregateBookkeeping(dataSource, name),
                new OverlapMemory(dataSource, name), settings.dataValuesPageSize(), settings.skipChangedBefore(),
                settings.windowOverlap(), settings.central().url(), pageSizes, settings.load().minPageSize(),
                settings.dataValuesCsv()));
        beans.put("completeRegistrationSync", new CompleteRegistrationSync(new AggregateBookkeeping(dataSource, name),
                new OverlapMemory(dataSource, name), settings.completeRegistrationsPageSize(),
                settings.skipChangedBefore(), settings.central().url(), pageSizes, settings.load().minPageSize()));
        beans.put("centralCompression", new RequestCompression(settings.centralCompression()));
        // tracker download, central -> local (routes/tracker-download.camel.yaml)
        TrackerDownloadStage download = new TrackerDownloadStage(dataSource, name, settings.download(),
                settings.windowOverlap(), settings.skipChangedBefore().orElse(null));
        beans.put("trackerDownload", download);
        beans.put("downloadImport", download.importSteps());
        beans.put("downloadFetches", download.fetches());
        beans.put("downloadRelationships", download.relationships());
        // reserved value pools and their hand-out (routes/reserved-values*.camel.yaml)
        ReservedValueBeans.bind(beans::put, name, settings.reservedValues(), dataSource, meters);
    }

    /** Binds every bean as {@code <pair>.<name>}; the default pair's also under the bare name. */
    public void bind(BiConsumer<String, Object> bind) {
        beans.forEach((bean, value) -> {
            bind.accept(name + "." + bean, value);
            if (name.equals(PairConfigs.DEFAULT)) {
                bind.accept(bean, value);
            }
        });
    }

    /** The beans by their bare names (the route files' names without the pair). */
    public Map<String, Object> beans() {
        return java.util.Collections.unmodifiableMap(beans);
    }

    public String name() {
        return name;
    }

    public SyncSettings settings() {
        return settings;
    }

    public JobCoordinator jobs() {
        return jobs;
    }

    public JobScheduler jobScheduler() {
        return jobScheduler;
    }

    public JobHistory jobHistory() {
        return jobHistory;
    }

    public JobOperations jobControl() {
        return jobControl;
    }

    public JobMBeans jobMBeans() {
        return jobMBeans;
    }
}
