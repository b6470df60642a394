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
import org.dhis2.sync.admin.LoginThrottle;
import org.dhis2.sync.admin.AdminJobs;
import org.dhis2.sync.admin.AdminQueries;
import org.dhis2.sync.admin.ItemResend;




import org.dhis2.sync.config.PairConfigs;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.pairs.FleetView;
import org.dhis2.sync.pairs.InstanceBeans;
import org.dhis2.sync.pairs.PairBeans;
import org.dhis2.sync.pairs.PairRoutes;
import org.dhis2.sync.pairs.SyncPairs;
import org.dhis2.sync.reserved.ReservedValueBeans;
import org.dhis2.sync.db.BookkeepingDatabase;

import org.dhis2.sync.db.BookkeepingHealthCheck;

import org.dhis2.sync.http.RetryAfter;





import org.dhis2.sync.job.JobScheduleRoutes;




import org.dhis2.sync.observe.SecurityWarnings;



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
    private final Map<String, PairBeans> pairs;
    private volatile boolean closed;

    private Engine(SyncSettings settings, BookkeepingDatabase database, Main main, Map<String, PairBeans> pairs) {
        this.settings = settings;
        this.database = database;
        this.main = main;
        this.pairs = pairs;
    }

    /** Starts the engine; on failure everything started so far is stopped again. */
    public static Engine start(SyncSettings settings) {
        return start(settings, Map.of());
    }

    /** Starts the engine with extra registry beans (tests, the sandbox command). */
    public static Engine start(SyncSettings settings, Map<String, Object> extraBeans) {
        // every pair's settings first: a bad pair key stops the start before anything runs
        Map<String, SyncSettings> pairSettings = PairConfigs.forRun(settings);
        BookkeepingDatabase database = BookkeepingDatabase.open(settings);
        Main main = new Main();
        // SIGTERM is the engine's own shutdown hook (Engine.close): jobs are told to stop taking pages first; Camel's
        // hangup interceptor would instead wait for the whole running job before anything else stops
        main.setShutdownStrategy(new org.apache.camel.main.SimpleMainShutdownStrategy());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, PairBeans> pairs = new LinkedHashMap<>();
        pairSettings.forEach((name, s) -> pairs.put(name, new PairBeans(name, s, database.dataSource(), meters)));
        try {
            main.setInitialProperties(camelProperties(settings));
            main.bind("dataSource", database.dataSource());
            main.bind("bookkeepingHealthCheck", new BookkeepingHealthCheck(database.dataSource()));
            main.bind("metricsRegistry", meters);
            // operations: one readiness check per DHIS2 instance, however many pairs share it
            Duration healthCache = Duration.ofSeconds(settings.healthCacheSeconds());
            SyncPairs syncPairs = new SyncPairs(pairs, healthCache, main::getCamelContext);
            main.bind("syncPairs", syncPairs);
            InstanceBeans.bindHealthChecks(main::bind, syncPairs, pairs.get(PairConfigs.DEFAULT));
            main.bind("dhis2Authentication", InstanceBeans.authentication(pairs.values()));
            // issue 17: request ledger of every DHIS2 call (every pair's instances); Jolokia behind the admin login
            org.dhis2.sync.ledger.RequestLedger.bind(main, settings, database.dataSource(), pairs.values().stream()
                    .flatMap(p -> java.util.stream.Stream.of(p.settings().local().url(), p.settings().central().url()))
                    .distinct().toList());
            main.addMainListener(org.dhis2.sync.observe.ManagementServer.guard());
            main.bind("dhis2RetryAfter", new RetryAfter(Duration.ofMillis(settings.retryDelayMillis()),
                    Duration.ofSeconds(settings.maxRetryAfterSeconds())));
            Map<String, java.util.List<org.dhis2.sync.config.JobSchedule>> schedules = new LinkedHashMap<>();
            pairs.forEach((name, pair) -> schedules.put(name, pair.settings().jobSchedules()));
            main.bind("pairRoutes", new PairRoutes(pairs, settings.properties(), new JobScheduleRoutes(schedules),
                    main::getCamelContext));
            // cron schedules of every pair in Quartz's clustered store on the bookkeeping database (README "Several nodes")
            main.bind("quartz", org.dhis2.sync.job.ClusteredQuartz.component(database.dataSource(),
                    settings.clusterCheckinIntervalMillis(), schedules));
            pairs.values().forEach(pair -> pair.bind(main::bind));
            // admin HTTP API (routes/admin-api*.camel.yaml): one for all pairs, the pair named in the path
            AdminAuthentication admin = AdminAuthentication.of(settings.admin(), database.dataSource(), System.out);
            admin.throttle(new LoginThrottle(settings.adminMaxFailedLogins(), settings.adminFailedLoginWindow()));
            main.bind("adminAuthentication", admin);
            main.bind("adminAnswers", new AdminAnswers());
            main.bind("adminJobs", new AdminJobs());
            main.bind("adminQueries", new AdminQueries(database.dataSource(), p -> syncPairs.get(p).jobHistory()));
            org.dhis2.sync.console.ConsoleBeans.bind(main::bind, admin, settings, database.dataSource()); // issue 17
            main.bind("itemResend", new ItemResend(database.dataSource()));
            main.bind("adminDownloads", new org.dhis2.sync.admin.AdminDownloads());
            main.bind("adminPairs", new FleetView(database.dataSource(), syncPairs, healthCache));
            main.bind("reservedValueClients", ReservedValueBeans.clients(settings.reservedValues(), admin));
            EngineBeans.verifyBound(main, pairs.keySet());
            extraBeans.forEach(main::bind);
            // the route files as validate checks them, with the beans really bound: a finding (unknown
            // routeConfigurationId, bean method, direct: target...) stops start-up with its file and line
            RouteValidator.requireValid(settings.routesDir(), camelProperties(settings),
                    name -> Optional.ofNullable(main.lookup(name)).map(Object::getClass));
            main.start();
            if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
                throw new IllegalStateException("Camel did not start");
            }
            for (PairBeans pair : pairs.values()) {
                pair.jobControl().start(main.getCamelContext());
                pair.jobScheduler().start(main.getCamelContext());
                pair.jobMBeans().register();
            }
            SecurityWarnings.logAtStart(main.getCamelContext(), pairSettings);
        } catch (Exception e) {
            pairs.values().forEach(pair -> {
                pair.jobMBeans().unregister();
                pair.jobScheduler().stop();
            });
            stopQuietly(main);
            database.close();
            throw new EngineStartException(RouteErrors.describe(e, settings.routesDir()), e);
        }
        Engine engine = new Engine(settings, database, main, pairs);
        LOG.info("dhis2-sync started: {} pair(s) {}, routes from {}, management on port {}", pairs.size(),
                describe(pairs), settings.routesDir().toAbsolutePath(), engine.managementPort());
        return engine;
    }

    private static String describe(Map<String, PairBeans> pairs) {
        return pairs.values().stream().limit(10).map(p -> p.name() + " (" + p.settings().local() + " -> "
                + p.settings().central() + ")").collect(java.util.stream.Collectors.joining(", "))
                + (pairs.size() > 10 ? ", ..." : "");
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
        // admin paths answer twice (/api/... and /api/pairs/{pair}/...), the second through a route that calls the
        // first's: the REST DSL must keep the routes it calls (its default inlines them into the REST route)
        derived.put("camel.rest.inlineRoutes", "false");
        derived.put("camel.management.healthCheckEnabled", "true");
        derived.put("camel.management.metricsEnabled", "true");
        derived.put("camel.metrics.enabled", "true");
        derived.put("camel.health.enabled", "true");
        org.dhis2.sync.observe.ManagementServer.derive(settings, derived); // issue 17: host, Jolokia
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

    /** The engine's sync pairs by name, the default pair first when it runs. */
    public Map<String, PairBeans> pairs() {
        return java.util.Collections.unmodifiableMap(pairs);
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
        pairs.values().forEach(pair -> pair.jobScheduler().stop()); // no new scheduled run
        // runs take no new page, settle the pages in flight and are recorded as stopped, within the timeout
        pairs.values().parallelStream().forEach(pair -> pair.jobs().stopRuns(settings.shutdownTimeout()));
        pairs.values().forEach(pair -> pair.jobMBeans().unregister());
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
