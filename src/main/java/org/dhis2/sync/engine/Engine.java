package org.dhis2.sync.engine;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;
import org.dhis2.sync.admin.AdminAnswers;
import org.dhis2.sync.admin.AdminAuthentication;
import org.dhis2.sync.admin.AdminJobs;
import org.dhis2.sync.admin.AdminQueries;
import org.dhis2.sync.admin.ItemResend;
import org.dhis2.sync.aggregate.AggregateBookkeeping;
import org.dhis2.sync.aggregate.CompleteRegistrationSync;
import org.dhis2.sync.aggregate.DataValueSync;
import org.dhis2.sync.aggregate.OverlapMemory;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingDatabase;
import org.dhis2.sync.download.TrackerDownloadStage;
import org.dhis2.sync.db.BookkeepingHealthCheck;
import org.dhis2.sync.http.Dhis2Authentication;
import org.dhis2.sync.http.RequestCompression;
import org.dhis2.sync.http.RetryAfter;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.load.CentralLoad;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobHistory;
import org.dhis2.sync.job.JobMBeans;
import org.dhis2.sync.job.JobOperations;
import org.dhis2.sync.job.JobScheduleRoutes;
import org.dhis2.sync.job.JobScheduler;
import org.dhis2.sync.metadata.DataPushStages;
import org.dhis2.sync.metadata.MetadataVersionBookkeeping;
import org.dhis2.sync.metadata.MetadataVersionSync;
import org.dhis2.sync.observe.Dhis2HealthCheck;
import org.dhis2.sync.observe.SecurityWarnings;
import org.dhis2.sync.observe.SyncMetrics;
import org.dhis2.sync.stage.AvailabilityCheck;
import org.dhis2.sync.tracker.TrackerPushStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running engine: the bookkeeping database first, then camel-main with the route files of the routes folder,
 * JMX, and the management server (/observe/health, /observe/metrics). Closing stops Camel, then the database.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** Derived key of routes/error-handling.camel.yaml: Camel counts redeliveries, DHIS2 counts attempts. */
    static final String MAXIMUM_REDELIVERIES = "sync.retry.maximumRedeliveries";
    /** Derived from sync.dataValues.parallelism: whether the data value split sends pages in parallel. */
    static final String DATA_VALUES_PARALLEL = "sync.dataValues.parallel";

    private final SyncSettings settings;
    private final BookkeepingDatabase database;
    private final Main main;
    private final JobScheduler jobScheduler;
    private final JobMBeans jobMBeans;
    private volatile boolean closed;

    private Engine(SyncSettings settings, BookkeepingDatabase database, Main main, JobScheduler jobScheduler,
                   JobMBeans jobMBeans) {
        this.settings = settings;
        this.database = database;
        this.main = main;
        this.jobScheduler = jobScheduler;
        this.jobMBeans = jobMBeans;
    }

    /** Starts the engine; on failure everything started so far is stopped again. */
    public static Engine start(SyncSettings settings) {
        return start(settings, Map.of());
    }

    /** Starts the engine with extra registry beans (tests, the sandbox command). */
    public static Engine start(SyncSettings settings, Map<String, Object> extraBeans) {
        BookkeepingDatabase database = BookkeepingDatabase.open(settings);
        Main main = new Main();
        // SIGTERM is the engine's own shutdown hook (Engine.close): jobs are told to stop taking pages first; Camel's
        // hangup interceptor would instead wait for the whole running job before anything else stops
        main.setShutdownStrategy(new org.apache.camel.main.SimpleMainShutdownStrategy());
        JobCoordinator jobs = new JobCoordinator(database.dataSource(), "default");
        // job schedules (routes/job-schedules.camel.yaml), run-now (jobControl) and the job MBeans
        JobScheduler jobScheduler = new JobScheduler("default", settings.jobSchedules(), jobs,
                new org.dhis2.sync.job.RunWindows(settings.runWindows()));
        JobHistory jobHistory = new JobHistory(database.dataSource(), "default");
        JobOperations jobControl = new JobOperations(jobs, jobScheduler, jobHistory);
        JobMBeans jobMBeans = new JobMBeans(jobControl);
        try {
            main.setInitialProperties(camelProperties(settings));
            main.bind("dataSource", database.dataSource());
            main.bind("bookkeepingHealthCheck", new BookkeepingHealthCheck(database.dataSource()));
            // operations: DHIS2 readiness checks, our metrics in the registry Camel serves at /observe/metrics
            Duration healthCache = Duration.ofSeconds(settings.healthCacheSeconds());
            main.bind("dhis2LocalHealthCheck",
                    new Dhis2HealthCheck(settings.local(), healthCache, main::getCamelContext));
            main.bind("dhis2CentralHealthCheck",
                    new Dhis2HealthCheck(settings.central(), healthCache, main::getCamelContext));
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            main.bind("metricsRegistry", meters);
            jobs.onFinish(new SyncMetrics(meters, "default")::jobFinished);
            main.bind("syncSettings", settings);
            main.bind("localDhis2", settings.local());
            main.bind("centralDhis2", settings.central());
            main.bind("dhis2Authentication", new Dhis2Authentication(settings.local(), settings.central())
                    .alsoConfigure(new CentralLoad(settings.central().url(), settings.load().maxConcurrentRequests(),
                            settings.load().maxBytesPerSecond())));
            main.bind("dhis2RetryAfter", new RetryAfter(Duration.ofMillis(settings.retryDelayMillis()),
                    Duration.ofSeconds(settings.maxRetryAfterSeconds())));
            main.bind("jobs", jobs);
            main.bind("jobScheduler", jobScheduler);
            main.bind("jobScheduleRoutes", new JobScheduleRoutes("default", settings.jobSchedules()));
            // cron schedules in Quartz's clustered store on the bookkeeping database (README "Several nodes")
            main.bind("quartz", org.dhis2.sync.job.ClusteredQuartz.component(database.dataSource(),
                    settings.clusterCheckinIntervalMillis(), Map.of("default", settings.jobSchedules())));
            main.bind("jobControl", jobControl);
            main.bind("availabilityCheck", new AvailabilityCheck(settings.availabilityAttempts()));
            main.bind("metadataVersions", new MetadataVersionSync(new MetadataVersionBookkeeping(
                    database.dataSource(), "default"), settings.stopMetadataSyncIfVersionsDiffer()));
            main.bind("dataPushStages", new DataPushStages());
            AdaptivePageSizes pageSizes = new AdaptivePageSizes(database.dataSource(), settings.central().url(),
                    settings.load().growAfter());
            TrackerPushStage eventSync = TrackerPushStage.events(database.dataSource(), settings, pageSizes);
            TrackerPushStage trackerSync = TrackerPushStage.trackedEntities(database.dataSource(), settings,
                    pageSizes);
            main.bind("eventSync", eventSync);
            main.bind("trackerSync", trackerSync);
            main.bind("eventRelationships", eventSync.relationshipSteps());
            main.bind("trackerRelationships", trackerSync.relationshipSteps());
            main.bind("dataValueSync", new DataValueSync(new AggregateBookkeeping(database.dataSource(), "default"),
                    new OverlapMemory(database.dataSource(), "default"), settings.dataValuesPageSize(),
                    settings.skipChangedBefore(), settings.windowOverlap(), settings.central().url(), pageSizes,
                    settings.load().minPageSize(), settings.dataValuesCsv()));
            main.bind("centralCompression", new RequestCompression(settings.centralCompression()));
            main.bind("completeRegistrationSync", new CompleteRegistrationSync(new AggregateBookkeeping(
                    database.dataSource(), "default"), new OverlapMemory(database.dataSource(), "default"),
                    settings.completeRegistrationsPageSize(),
                    settings.skipChangedBefore(), settings.central().url(), pageSizes,
                    settings.load().minPageSize()));
            // admin HTTP API (routes/admin-api*.camel.yaml)
            main.bind("adminAuthentication", AdminAuthentication.of(settings.admin(), database.dataSource(),
                    System.out));
            main.bind("adminAnswers", new AdminAnswers());
            main.bind("adminJobs", new AdminJobs());
            main.bind("adminQueries", new AdminQueries(database.dataSource(), "default", jobHistory));
            main.bind("itemResend", new ItemResend(database.dataSource(), "default"));
            // tracker download, central -> local (routes/tracker-download.camel.yaml)
            TrackerDownloadStage download = new TrackerDownloadStage(database.dataSource(), "default",
                    settings.download(), settings.windowOverlap(), settings.skipChangedBefore().orElse(null));
            main.bind("trackerDownload", download);
            main.bind("adminDownloads", new org.dhis2.sync.admin.AdminDownloads());
            main.bind("downloadImport", download.importSteps());
            main.bind("downloadFetches", download.fetches());
            main.bind("downloadRelationships", download.relationships());
            // reserved value pools and their hand-out (routes/reserved-values*.camel.yaml)
            org.dhis2.sync.reserved.ReservedValueBeans.bind(main::bind, settings.reservedValues(),
                    database.dataSource(), meters, (AdminAuthentication) main.lookup("adminAuthentication"));
            EngineBeans.verifyBound(main);
            extraBeans.forEach(main::bind);
            // the route files as validate checks them, with the beans really bound: a finding (unknown
            // routeConfigurationId, bean method, direct: target...) stops start-up with its file and line
            RouteValidator.requireValid(settings.routesDir(), camelProperties(settings),
                    name -> Optional.ofNullable(main.lookup(name)).map(Object::getClass));
            main.start();
            if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
                throw new IllegalStateException("Camel did not start");
            }
            jobControl.start(main.getCamelContext());
            jobScheduler.start(main.getCamelContext());
            jobMBeans.register();
            SecurityWarnings.logAtStart(main.getCamelContext(), settings);
        } catch (Exception e) {
            jobMBeans.unregister();
            jobScheduler.stop();
            stopQuietly(main);
            database.close();
            throw new EngineStartException(RouteErrors.describe(e, settings.routesDir()), e);
        }
        Engine engine = new Engine(settings, database, main, jobScheduler, jobMBeans);
        LOG.info("dhis2-sync started: {} -> {}, routes from {}, management on port {}", settings.local(),
                settings.central(), settings.routesDir().toAbsolutePath(), engine.managementPort());
        return engine;
    }

    /** Camel's own settings, derived from ours; camel.* keys in the configuration win. */
    public static Properties camelProperties(SyncSettings settings) {
        Map<String, String> derived = new LinkedHashMap<>();
        derived.put("camel.main.routesIncludePattern",
                "file:" + settings.routesDir().toAbsolutePath().toString().replace('\\', '/') + "/*.camel.yaml");
        derived.put("camel.main.logMask", "true");
        derived.put("camel.main.jmxEnabled", "true");
        derived.put("camel.main.sourceLocationEnabled", "true");
        derived.put("camel.main.shutdownTimeout", "30");
        derived.put("camel.management.enabled", "true");
        derived.put("camel.management.port", String.valueOf(settings.managementPort()));
        // the admin REST API runs on the main HTTP server; on the same port the management server shares it
        derived.put("camel.server.enabled", "true");
        derived.put("camel.server.port", String.valueOf(settings.managementPort()));
        derived.put("camel.management.healthCheckEnabled", "true");
        derived.put("camel.management.metricsEnabled", "true");
        derived.put("camel.metrics.enabled", "true");
        derived.put("camel.health.enabled", "true");
        // credentials are added inside the HTTP client, never carried on messages
        derived.put("camel.component.http.httpClientConfigurer", "#dhis2Authentication");
        // retries are ours (redelivery policy in routes/error-handling.camel.yaml), not the HTTP client's
        derived.put("camel.component.http.automaticRetriesDisabled", "true");
        derived.put("camel.component.http.soTimeout",
                settings.properties().getProperty("dhis2.http.responseTimeoutMillis"));
        derived.put("camel.component.http.connectTimeout",
                settings.properties().getProperty("dhis2.http.connectTimeoutMillis"));
        derived.put("camel.component.http.responseTimeout",
                settings.properties().getProperty("dhis2.http.responseTimeoutMillis"));
        // thread pools of the parallel page senders (split executorService in events/tracker routes)
        senders(derived, "eventSenders", settings.eventsParallelism());
        senders(derived, "trackerSenders", settings.trackerParallelism());
        senders(derived, "dataValueSenders", settings.dataValuesParallelism(), 1);
        // 1 = one page after the other in the split's own thread, exactly DHIS2 core's order
        derived.put(DATA_VALUES_PARALLEL, String.valueOf(settings.dataValuesParallelism() > 1));
        // Camel counts redeliveries, DHIS2 counts attempts (metadata.sync.retry=3 means 1 try + 2 retries)
        derived.put(MAXIMUM_REDELIVERIES, String.valueOf(settings.retryAttempts() - 1));
        Properties props = new Properties();
        derived.forEach(props::setProperty);
        settings.properties().forEach((k, v) -> {
            if (!props.containsKey(k) || k.toString().startsWith("camel.")
                    && !k.toString().equals("camel.main.routesIncludePattern")) {
                props.setProperty(k.toString(), v.toString());
            }
        });
        return props;
    }

    /**
     * For {@code validate} when the settings are invalid: the properties plus the keys the engine derives from
     * them (placeholders naming those keys are fine; their values cannot be derived from invalid settings).
     */
    public static Properties withDerivedKeyNames(Properties properties) {
        Properties props = new Properties();
        props.putAll(properties);
        props.putIfAbsent(MAXIMUM_REDELIVERIES, "0");
        props.putIfAbsent(DATA_VALUES_PARALLEL, "false");
        return props;
    }

    /** A thread pool profile of exactly {@code threads} threads (a batch never holds more pages than that). */
    private static void senders(Map<String, String> props, String id, int threads) {
        senders(props, id, threads, 100);
    }

    /**
     * @param queue pages waiting for a sender; when full the reading thread sends the page itself (Camel's
     *              CallerRuns), so at most threads + queue + 1 pages are held in memory
     */
    private static void senders(Map<String, String> props, String id, int threads, int queue) {
        String prefix = "camel.threadpool.config[" + id + "].";
        props.put(prefix + "id", id);
        props.put(prefix + "poolSize", String.valueOf(threads));
        props.put(prefix + "maxPoolSize", String.valueOf(threads));
        // a queue, not Camel's direct hand-off (maxQueueSize -1): with one sender, a page handed over while the
        // sender was not yet back waiting was lost, and the job hung (seen after ~270 pages with parallelism 1)
        props.put(prefix + "maxQueueSize", String.valueOf(queue));
    }

    /**
     * The port the management server (health, metrics, admin API) really listens on: the configured
     * {@code sync.management.port}, or the free port the system chose when that is 0.
     */
    public int managementPort() {
        VertxPlatformHttpServer server = context() == null ? null
                : context().hasService(VertxPlatformHttpServer.class);
        return server != null && server.getPort() > 0 ? server.getPort() : settings.managementPort();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public SyncSettings settings() {
        return settings;
    }

    public BookkeepingDatabase database() {
        return database;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        jobScheduler.stop(); // no new scheduled run
        JobCoordinator jobs = main.getCamelContext() == null ? null
                : main.getCamelContext().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class);
        if (jobs != null) {
            // runs take no new page, settle the pages in flight and are recorded as stopped, within the timeout
            jobs.stopRuns(settings.shutdownTimeout());
        }
        jobMBeans.unregister();
        stopQuietly(main);
        database.close();
        LOG.info("dhis2-sync stopped");
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
        }
    }
}
