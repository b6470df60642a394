package org.dhis2.sync.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The engine's settings, checked once at start-up. Every problem is reported with its key, all at once; values of
 * secrets are never part of a message. Groups of settings live in their own records ({@link StageSettings},
 * {@link DatabaseSettings}, {@link ManagementSettings}, ...); the accessors here delegate so that callers need not
 * know the grouping.
 */
public final class SyncSettings {

    private final Properties properties;
    private final Dhis2Connection local;
    private final Dhis2Connection central;
    private final StageSettings stages;
    private final DownloadSettings download;
    private final Optional<Instant> skipChangedBefore;
    private final Duration windowOverlap;
    private final Duration shutdownTimeout;
    private final int retryAttempts;
    private final long retryDelayMillis;
    private final int maxRetryAfterSeconds;
    private final int availabilityAttempts;
    private final long availabilityDelayMillis;
    private final boolean stopMetadataSyncIfVersionsDiffer;
    private final DatabaseSettings database;
    private final ManagementSettings management;
    private final Path routesDir;
    private final Map<String, JobSchedule> jobSchedules = new LinkedHashMap<>();
    private final Map<String, RunWindow> runWindows = new LinkedHashMap<>();
    private final ReservedValueSettings reservedValues;
    private final LoadSettings load;
    // several engine nodes on one database (README "Several nodes")
    private final int clusterCheckinIntervalMillis;

    private SyncSettings(Properties p, boolean requireInstances) {
        this.properties = p;
        SettingsChecker c = new SettingsChecker(p);
        CredentialsReader credentials = new CredentialsReader(c);
        this.local = credentials.connection("local", requireInstances);
        this.central = credentials.connection("central", requireInstances);
        this.stages = StageSettings.read(c);
        // the Android SDK's defaults: 50 tracked entities per call, 500 per program
        this.download = new DownloadSettings(c.integer("sync.download.pageSize", 5, 500),
                c.integer("sync.download.limit", 1, 1_000_000), c.uids("sync.download.programs"),
                c.text("sync.download.breakTheGlassReason"));
        this.skipChangedBefore = c.instant("sync.skipChangedBefore");
        this.windowOverlap = Duration.ofSeconds(c.integer("sync.window.overlapSeconds", 0, 3600));
        this.shutdownTimeout = Duration.ofSeconds(c.integer("sync.shutdown.timeoutSeconds", 0, 600));
        this.retryAttempts = c.integer("metadata.sync.retry", 1, 100);
        this.retryDelayMillis = c.integer("metadata.sync.retry.time.frequency.millisec", 0, 3_600_000);
        this.maxRetryAfterSeconds = c.integer("sync.retry.maxRetryAfterSeconds", 0, 3600);
        this.load = new LoadSettings(c.integer("sync.adaptive.minPageSize", 1, 30000),
                c.integer("sync.adaptive.tracker.minPageSize", 1, 200), c.integer("sync.adaptive.growAfter", 1, 1000),
                c.integer("central.maxConcurrentRequests", 1, 256),
                c.integer("central.maxBytesPerSecond", 0, Integer.MAX_VALUE));
        c.bool("sync.retry.exponentialBackOff");
        c.bool("sync.retry.collisionAvoidance");
        c.decimal("sync.retry.backOffMultiplier", 1, 10);
        c.integer("sync.retry.maxDelayMillis", 0, 86_400_000);
        this.availabilityAttempts = c.integer("sync.availability.attempts", 1, 100);
        this.availabilityDelayMillis = c.integer("sync.availability.delayMillis", 0, 600_000);
        this.stopMetadataSyncIfVersionsDiffer = c.bool("metadata.sync.stopIfVersionsDiffer");
        c.integer("sync.mail.port", 1, 65535);
        c.integer("dhis2.http.connectTimeoutMillis", 1, 600_000);
        c.integer("dhis2.http.responseTimeoutMillis", 1, 3_600_000);
        this.database = DatabaseSettings.read(c);
        this.management = ManagementSettings.read(c);
        this.routesDir = Path.of(c.required("sync.routes.dir"));
        this.reservedValues = ReservedValueSettings.read(c);
        JobSettingsReader jobs = new JobSettingsReader(c);
        JobSchedule.JOB_TYPES.forEach(type -> jobSchedules.put(type, jobs.jobSchedule(type)));
        JobSchedule.JOB_TYPES.forEach(type -> jobs.runWindow(type).ifPresent(w -> runWindows.put(type, w)));
        this.clusterCheckinIntervalMillis = c.integer("sync.cluster.checkinIntervalMillis", 500, 600_000);
        jobs.unknownJobKeys();
        c.throwIfAny();
    }

    /** Settings for running the engine: both DHIS2 instances must be configured. */
    public static SyncSettings forRun(Properties properties) {
        return new SyncSettings(properties, true);
    }

    /** Settings for {@code validate}: instances are checked when given, not required. */
    public static SyncSettings forValidation(Properties properties) {
        return new SyncSettings(properties, false);
    }

    public Properties properties() {
        return properties;
    }

    public Dhis2Connection local() {
        return local;
    }

    public Dhis2Connection central() {
        return central;
    }

    public int dataValuesPageSize() {
        return stages.dataValuesPageSize();
    }

    /** sync.dataValues.format=csv: data values are POSTed to central as application/csv (DHIS2's 11 columns). */
    public boolean dataValuesCsv() {
        return stages.dataValuesCsv();
    }

    /** central.compression: gzip the bodies POSTed to central's dataValueSets and completeDataSetRegistrations. */
    public boolean centralCompression() {
        return stages.centralCompression();
    }

    public int completeRegistrationsPageSize() {
        return stages.completeRegistrationsPageSize();
    }

    public int eventsPageSize() {
        return stages.eventsPageSize();
    }

    public int trackerPageSize() {
        return stages.trackerPageSize();
    }

    public int trackerParallelism() {
        return stages.trackerParallelism();
    }

    /** Data value pages in flight at once (sync.dataValues.parallelism). */
    public int dataValuesParallelism() {
        return stages.dataValuesParallelism();
    }

    public int eventsParallelism() {
        return stages.eventsParallelism();
    }

    /** Configured event programs; empty = every event program of the local instance. */
    public List<String> eventsPrograms() {
        return stages.eventsPrograms();
    }

    /** TRACKER_DOWNLOAD: page size, limit per program, programs, break-the-glass reason. */
    public DownloadSettings download() {
        return download;
    }

    /** Configured tracker programs; empty = every tracked entity type of the local instance. */
    public List<String> trackerPrograms() {
        return stages.trackerPrograms();
    }

    public Optional<Instant> skipChangedBefore() {
        return skipChangedBefore;
    }

    /** How long a shutdown waits for running jobs to settle their pages in flight (sync.shutdown.timeoutSeconds). */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** How far each stage's window reaches back before the previous window's end (sync.window.overlapSeconds). */
    public Duration windowOverlap() {
        return windowOverlap;
    }

    /** Run windows by job type (sync.jobs.TYPE.window); a job without one may run at any time. */
    public Map<String, RunWindow> runWindows() {
        return Map.copyOf(runWindows);
    }

    /** Adaptive page sizes, the concurrency and bandwidth caps on central. */
    public LoadSettings load() {
        return load;
    }

    /** Total attempts of a transient-failing call (DHIS2's metadata.sync.retry). */
    public int retryAttempts() {
        return retryAttempts;
    }

    public long retryDelayMillis() {
        return retryDelayMillis;
    }

    /** The most a Retry-After header may make the engine wait before the next attempt (seconds). */
    public int maxRetryAfterSeconds() {
        return maxRetryAfterSeconds;
    }

    public int availabilityAttempts() {
        return availabilityAttempts;
    }

    public long availabilityDelayMillis() {
        return availabilityDelayMillis;
    }

    /** DHIS2's "Don't sync metadata if DHIS2 versions differ" (metadata.sync.stopIfVersionsDiffer). */
    public boolean stopMetadataSyncIfVersionsDiffer() {
        return stopMetadataSyncIfVersionsDiffer;
    }

    /** The bookkeeping database (sync.db.*). */
    public DatabaseSettings database() {
        return database;
    }

    /** How often each node tells the cluster it is alive (sync.cluster.checkinIntervalMillis, Quartz's check-in). */
    public int clusterCheckinIntervalMillis() {
        return clusterCheckinIntervalMillis;
    }

    public int managementPort() {
        return management.port();
    }

    /** How long /observe/health reuses a DHIS2 instance's last check (sync.health.dhis2.cacheSeconds). */
    public int healthCacheSeconds() {
        return management.healthCacheSeconds();
    }

    /** Connect and answer timeout of the health and start-up checks of DHIS2 (sync.health.dhis2.timeoutMillis). */
    public int healthTimeoutMillis() {
        return management.healthTimeoutMillis();
    }

    public Path routesDir() {
        return routesDir;
    }

    /** Who may call the admin HTTP API (sync.admin.*); neither set means a generated token. */
    public AdminCredentials admin() {
        return management.admin();
    }

    public ReservedValueSettings reservedValues() {
        return reservedValues;
    }

    /** The schedule of every known job type, in {@link JobSchedule#JOB_TYPES} order. */
    public List<JobSchedule> jobSchedules() {
        return List.copyOf(jobSchedules.values());
    }

    // issue 17 (request ledger, management server)
    /** The address the management server binds to (sync.management.host; 0.0.0.0 = every interface). */
    public String managementHost() {
        return management.host();
    }

    /** Request ledger rows older than this many days are deleted (sync.ledger.retentionDays). */
    public int ledgerRetentionDays() {
        return management.ledgerRetentionDays();
    }

    // issue 17 (operator console)
    /** A console session is forgotten after this many minutes without a request (sync.console.sessionIdleMinutes). */
    public int consoleSessionIdleMinutes() {
        return management.consoleSessionIdleMinutes();
    }

    /** Wrong admin logins per client address within the window before the address is refused (sync.admin.*). */
    public int adminMaxFailedLogins() {
        return management.adminMaxFailedLogins();
    }

    public Duration adminFailedLoginWindow() {
        return Duration.ofSeconds(management.adminFailedLoginWindowSeconds());
    }
}
