package org.dhis2.sync.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.main.Main;
import org.dhis2.sync.admin.AdminAnswers;
import org.dhis2.sync.admin.AdminAuthentication;
import org.dhis2.sync.admin.AdminJobs;
import org.dhis2.sync.admin.AdminQueries;
import org.dhis2.sync.admin.ItemResend;
import org.dhis2.sync.aggregate.CompleteRegistrationSync;
import org.dhis2.sync.aggregate.DataValueSync;
import org.dhis2.sync.config.Dhis2Connection;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingHealthCheck;
import org.dhis2.sync.http.Dhis2Authentication;
import org.dhis2.sync.http.RetryAfter;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobOperations;
import org.dhis2.sync.job.JobScheduler;
import org.dhis2.sync.metadata.DataPushStages;
import org.dhis2.sync.metadata.MetadataVersionSync;
import org.dhis2.sync.observe.Dhis2HealthCheck;
import org.dhis2.sync.stage.AvailabilityCheck;
import org.dhis2.sync.tracker.TrackerPushStage;

/**
 * The beans the engine puts into Camel's registry for the route files, by name and type. {@code validate} checks
 * bean steps and method expressions against these types without starting anything; {@link Engine#start} checks
 * that it bound exactly these, so the list cannot silently fall behind.
 */
public final class EngineBeans {

    public static final Map<String, Class<?>> TYPES;

    static {
        Map<String, Class<?>> t = new LinkedHashMap<>();
        t.put("dataSource", DataSource.class);
        t.put("bookkeepingHealthCheck", BookkeepingHealthCheck.class);
        t.put("dhis2LocalHealthCheck", Dhis2HealthCheck.class);
        t.put("dhis2CentralHealthCheck", Dhis2HealthCheck.class);
        t.put("metricsRegistry", io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class);
        t.put("syncSettings", SyncSettings.class);
        t.put("localDhis2", Dhis2Connection.class);
        t.put("centralDhis2", Dhis2Connection.class);
        t.put("dhis2Authentication", Dhis2Authentication.class);
        t.put("dhis2RetryAfter", RetryAfter.class);
        t.put("jobs", JobCoordinator.class);
        t.put("jobScheduler", JobScheduler.class);
        t.put("syncPairs", org.dhis2.sync.pairs.SyncPairs.class);
        t.put("pairRoutes", org.dhis2.sync.pairs.PairRoutes.class);
        t.put("adminPairs", org.dhis2.sync.pairs.FleetView.class);
        t.put("jobControl", JobOperations.class);
        t.put("availabilityCheck", AvailabilityCheck.class);
        t.put("metadataVersions", MetadataVersionSync.class);
        t.put("dataPushStages", DataPushStages.class);
        t.put("eventSync", TrackerPushStage.class);
        t.put("trackerSync", TrackerPushStage.class);
        t.put("eventRelationships", org.dhis2.sync.tracker.RelationshipSteps.class);
        t.put("trackerRelationships", org.dhis2.sync.tracker.RelationshipSteps.class);
        t.put("dataValueSync", DataValueSync.class);
        t.put("completeRegistrationSync", CompleteRegistrationSync.class);
        t.put("centralCompression", org.dhis2.sync.http.RequestCompression.class);
        t.put("adminAuthentication", AdminAuthentication.class);
        t.put("adminAnswers", AdminAnswers.class);
        t.put("adminJobs", AdminJobs.class);
        t.put("adminQueries", AdminQueries.class);
        t.putAll(org.dhis2.sync.console.ConsoleBeans.TYPES); // issue 17: operator console
        t.put("itemResend", ItemResend.class);
        t.put("adminDownloads", org.dhis2.sync.admin.AdminDownloads.class);
        t.put("trackerDownload", org.dhis2.sync.download.TrackerDownloadStage.class);
        t.put("downloadImport", org.dhis2.sync.download.DownloadImportSteps.class);
        t.put("downloadFetches", org.dhis2.sync.download.DownloadFetches.class);
        t.put("downloadRelationships", org.dhis2.sync.download.DownloadRelationships.class);
        t.put("reservedValuePools", org.dhis2.sync.reserved.ReservedValuePools.class);
        t.put("reservedValues", org.dhis2.sync.reserved.ReservedValueStage.class);
        t.put("reservedValueHandout", org.dhis2.sync.reserved.ReservedValueHandout.class);
        t.put("reservedValueClients", org.dhis2.sync.reserved.HandoutAuthentication.class);
        t.put("reservedValuesHealthCheck", org.dhis2.sync.reserved.ReservedValuesHealthCheck.class);
        t.put("requestLedger", org.dhis2.sync.ledger.RequestLedger.class);
        TYPES = java.util.Collections.unmodifiableMap(t);
    }

    /**
     * The beans each sync pair has, bound as {@code <pair>.<name>} for the route templates ({@code ref:
     * "{{pair}}.name"}) and, for the pair default, also under the bare name. The others are one per engine.
     */
    public static final java.util.Set<String> PER_PAIR = java.util.Set.of("syncSettings", "localDhis2",
            "centralDhis2", "jobs", "jobScheduler", "jobControl", "availabilityCheck", "metadataVersions",
            "dataPushStages", "eventSync", "trackerSync", "eventRelationships", "trackerRelationships",
            "dataValueSync", "completeRegistrationSync", "centralCompression", "trackerDownload", "downloadImport",
            "downloadFetches", "downloadRelationships", "reservedValuePools", "reservedValues",
            "reservedValueHandout", "reservedValuesHealthCheck");

    private EngineBeans() {
    }

    /**
     * Fails when a listed bean was not bound with its type (a bean added to Engine.start or PairBeans belongs here
     * too): the engine's beans once, each pair's as {@code <pair>.<name>}.
     */
    static void verifyBound(Main main, java.util.Collection<String> pairs) {
        java.util.Map<String, Class<?>> expected = new LinkedHashMap<>();
        TYPES.forEach((name, type) -> {
            if (!PER_PAIR.contains(name)) {
                expected.put(name, type);
            } else {
                pairs.forEach(pair -> expected.put(pair + "." + name, type));
            }
        });
        if (!pairs.contains("default")) {
            expected.remove("dhis2LocalHealthCheck");
            expected.remove("dhis2CentralHealthCheck");
        }
        expected.forEach((name, type) -> {
            Object bean = main.lookup(name);
            if (!type.isInstance(bean)) {
                throw new IllegalStateException("engine bean '" + name + "' is " + (bean == null ? "not bound"
                        : "a " + bean.getClass().getName()) + ", EngineBeans.TYPES says " + type.getName());
            }
        });
    }
}
