package org.dhis2.sync.config;

import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.quartz.CronExpression;

/**
 * The engine's settings, checked once at start-up. Every problem is reported with its key, all at once; values of
 * secrets are never part of a message.
 */
public final class SyncSettings {

    private final Properties properties;
    private final Dhis2Connection local;
    private final Dhis2Connection central;
    private final int dataValuesPageSize;
    private final boolean dataValuesCsv;
    private final boolean centralCompression;
    private final int completeRegistrationsPageSize;
    private final int eventsPageSize;
    private final int trackerPageSize;
    private final int trackerParallelism;
    private final int eventsParallelism;
    private final int dataValuesParallelism;
    private final List<String> eventsPrograms;
    private final List<String> trackerPrograms;
    private final DownloadSettings download;
    private final Optional<Instant> skipChangedBefore;
    private final java.time.Duration windowOverlap;
    private final java.time.Duration shutdownTimeout;
    private final int retryAttempts;
    private final long retryDelayMillis;
    private final int maxRetryAfterSeconds;
    private final int availabilityAttempts;
    private final long availabilityDelayMillis;
    private final boolean stopMetadataSyncIfVersionsDiffer;
    private final String dbUrl;
    private final String dbUsername;
    private final String dbPassword;
    private final Path embeddedDataDir;
    private final int embeddedPort;
    private final boolean embeddedDurable;
    private final int dbPoolSize;
    private final int managementPort;
    private final int healthCacheSeconds;
    private final int healthTimeoutMillis;
    private final Path routesDir;
    private final AdminCredentials admin;
    private final Map<String, JobSchedule> jobSchedules = new LinkedHashMap<>();
    private final Map<String, RunWindow> runWindows = new LinkedHashMap<>();
    private final ReservedValueSettings reservedValues;
    private final LoadSettings load;
    // issue 17 (operator console)
    private final int consoleSessionIdleMinutes;
    private final int adminMaxFailedLogins;
    private final int adminFailedLoginWindowSeconds;
    // issue 17 (request ledger, management server)
    private final String managementHost;
    private final int ledgerRetentionDays;
    // several engine nodes on one database (README "Several nodes")
    private final int clusterCheckinIntervalMillis;

    private SyncSettings(Properties p, boolean requireInstances) {
        this.properties = p;
        Checker c = new Checker(p);
        this.local = c.connection("local", requireInstances);
        this.central = c.connection("central", requireInstances);
        // DHIS2's job parameter limits (DATA_SYNC 50–30000, EVENT_PROGRAMS 5–200, TRACKER_PROGRAMS 5–100)
        this.dataValuesPageSize = c.integer("sync.dataValues.pageSize", 50, 30000);
        this.completeRegistrationsPageSize = c.integer("sync.completeRegistrations.pageSize", 50, 30000);
        this.dataValuesCsv = c.dataValuesFormat().equals("csv");
        this.centralCompression = c.bool("central.compression");
        this.eventsPageSize = c.integer("sync.events.pageSize", 5, 200);
        this.trackerPageSize = c.integer("sync.tracker.pageSize", 5, 100);
        this.trackerParallelism = c.integer("sync.tracker.parallelism", 1, 16);
        this.eventsParallelism = c.integer("sync.events.parallelism", 1, 16);
        this.dataValuesParallelism = c.integer("sync.dataValues.parallelism", 1, 8);
        this.eventsPrograms = c.uids("sync.events.programs");
        this.trackerPrograms = c.uids("sync.tracker.programs");
        // the Android SDK's defaults: 50 tracked entities per call, 500 per program
        this.download = new DownloadSettings(c.integer("sync.download.pageSize", 5, 500),
                c.integer("sync.download.limit", 1, 1_000_000), c.uids("sync.download.programs"),
                p.getProperty("sync.download.breakTheGlassReason", "").trim());
        this.skipChangedBefore = c.instant("sync.skipChangedBefore");
        this.windowOverlap = java.time.Duration.ofSeconds(c.integer("sync.window.overlapSeconds", 0, 3600));
        this.shutdownTimeout = java.time.Duration.ofSeconds(c.integer("sync.shutdown.timeoutSeconds", 0, 600));
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
        this.dbUrl = p.getProperty("sync.db.url", "").trim();
        if (!dbUrl.isEmpty() && !dbUrl.startsWith("jdbc:postgresql:")) {
            c.problem("sync.db.url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db) or empty for the embedded database");
        }
        this.dbUsername = p.getProperty("sync.db.username", "").trim();
        this.dbPassword = p.getProperty("sync.db.password", "");
        this.embeddedDataDir = Path.of(c.required("sync.db.embedded.dataDir"));
        this.embeddedPort = c.integer("sync.db.embedded.port", 0, 65535);
        this.embeddedDurable = c.bool("sync.db.embedded.durable");
        this.dbPoolSize = c.integer("sync.db.poolSize", 2, 200);
        this.managementPort = c.integer("sync.management.port", 0, 65535);
        this.healthCacheSeconds = c.integer("sync.health.dhis2.cacheSeconds", 0, 3600);
        this.healthTimeoutMillis = c.integer("sync.health.dhis2.timeoutMillis", 100, 60_000);
        this.routesDir = Path.of(c.required("sync.routes.dir"));
        this.admin = c.adminCredentials();
        this.reservedValues = c.reservedValues();
        JobSchedule.JOB_TYPES.forEach(type -> jobSchedules.put(type, c.jobSchedule(type)));
        JobSchedule.JOB_TYPES.forEach(type -> c.runWindow(type).ifPresent(w -> runWindows.put(type, w)));
        // issue 17 (operator console)
        this.consoleSessionIdleMinutes = c.integer("sync.console.sessionIdleMinutes", 1, 1440);
        this.adminMaxFailedLogins = c.integer("sync.admin.maxFailedLogins", 1, 10_000);
        this.adminFailedLoginWindowSeconds = c.integer("sync.admin.failedLoginWindowSeconds", 1, 86_400);
        // issue 17 (request ledger, management server)
        this.managementHost = c.host("sync.management.host");
        this.ledgerRetentionDays = c.integer("sync.ledger.retentionDays", 1, 3650);
        this.clusterCheckinIntervalMillis = c.integer("sync.cluster.checkinIntervalMillis", 500, 600_000);
        c.unknownJobKeys();
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
        return dataValuesPageSize;
    }

    /** sync.dataValues.format=csv: data values are POSTed to central as application/csv (DHIS2's 11 columns). */
    public boolean dataValuesCsv() {
        return dataValuesCsv;
    }

    /** central.compression: gzip the bodies POSTed to central's dataValueSets and completeDataSetRegistrations. */
    public boolean centralCompression() {
        return centralCompression;
    }

    public int completeRegistrationsPageSize() {
        return completeRegistrationsPageSize;
    }

    public int eventsPageSize() {
        return eventsPageSize;
    }

    public int trackerPageSize() {
        return trackerPageSize;
    }

    public int trackerParallelism() {
        return trackerParallelism;
    }

    /** Data value pages in flight at once (sync.dataValues.parallelism). */
    public int dataValuesParallelism() {
        return dataValuesParallelism;
    }

    public int eventsParallelism() {
        return eventsParallelism;
    }

    /** Configured event programs; empty = every event program of the local instance. */
    public List<String> eventsPrograms() {
        return eventsPrograms;
    }

    /** Configured tracker programs; empty = every tracked entity type of the local instance. */
    /** TRACKER_DOWNLOAD: page size, limit per program, programs, break-the-glass reason. */
    public DownloadSettings download() {
        return download;
    }

    public List<String> trackerPrograms() {
        return trackerPrograms;
    }

    public Optional<Instant> skipChangedBefore() {
        return skipChangedBefore;
    }

    /** How long a shutdown waits for running jobs to settle their pages in flight (sync.shutdown.timeoutSeconds). */
    public java.time.Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** How far each stage's window reaches back before the previous window's end (sync.window.overlapSeconds). */
    public java.time.Duration windowOverlap() {
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

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    public String dbUrl() {
        return dbUrl;
    }

    public String dbUsername() {
        return dbUsername;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public Path embeddedDataDir() {
        return embeddedDataDir;
    }

    public int embeddedPort() {
        return embeddedPort;
    }

    /** fsync, synchronous commit and full page writes of the embedded PostgreSQL (sync.db.embedded.durable). */
    public boolean embeddedDurable() {
        return embeddedDurable;
    }

    public int dbPoolSize() {
        return dbPoolSize;
    }

    /** How often each node tells the cluster it is alive (sync.cluster.checkinIntervalMillis, Quartz's check-in). */
    public int clusterCheckinIntervalMillis() {
        return clusterCheckinIntervalMillis;
    }

    public int managementPort() {
        return managementPort;
    }

    /** How long /observe/health reuses a DHIS2 instance's last check (sync.health.dhis2.cacheSeconds). */
    public int healthCacheSeconds() {
        return healthCacheSeconds;
    }

    /** Connect and answer timeout of the health and start-up checks of DHIS2 (sync.health.dhis2.timeoutMillis). */
    public int healthTimeoutMillis() {
        return healthTimeoutMillis;
    }

    public Path routesDir() {
        return routesDir;
    }

    /** Who may call the admin HTTP API (sync.admin.*); neither set means a generated token. */
    public AdminCredentials admin() {
        return admin;
    }

    /** The schedule of every known job type, in {@link JobSchedule#JOB_TYPES} order. */
    public ReservedValueSettings reservedValues() {
        return reservedValues;
    }

    public List<JobSchedule> jobSchedules() {
        return List.copyOf(jobSchedules.values());
    }

    // issue 17 (request ledger, management server)
    /** The address the management server binds to (sync.management.host; 0.0.0.0 = every interface). */
    public String managementHost() {
        return managementHost;
    }

    /** Request ledger rows older than this many days are deleted (sync.ledger.retentionDays). */
    public int ledgerRetentionDays() {
        return ledgerRetentionDays;
    }

    // issue 17 (operator console)
    /** A console session is forgotten after this many minutes without a request (sync.console.sessionIdleMinutes). */
    public int consoleSessionIdleMinutes() {
        return consoleSessionIdleMinutes;
    }

    /** Wrong admin logins per client address within the window before the address is refused (sync.admin.*). */
    public int adminMaxFailedLogins() {
        return adminMaxFailedLogins;
    }

    public java.time.Duration adminFailedLoginWindow() {
        return java.time.Duration.ofSeconds(adminFailedLoginWindowSeconds);
    }

    /** Collects problems with key names; a secret's value is never echoed. */
    private static final class Checker {
        private final Properties p;
        private final List<String> problems = new ArrayList<>();

        Checker(Properties p) {
            this.p = p;
        }

        void problem(String key, String message) {
            problems.add(key + ": " + message);
        }

        String required(String key) {
            String v = p.getProperty(key, "").trim();
            if (v.isEmpty()) {
                problem(key, "is required");
            }
            return v.isEmpty() ? "." : v;
        }

        int integer(String key, int min, int max) {
            String v = p.getProperty(key, "").trim();
            if (v.isEmpty()) {
                problem(key, "is required (a whole number from " + min + " to " + max + ")");
                return min;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    problem(key, "'" + v + "' is outside the allowed range " + min + ".." + max);
                }
                return n;
            } catch (NumberFormatException e) {
                problem(key, "'" + v + "' is not a whole number (allowed " + min + ".." + max + ")");
                return min;
            }
        }

        /** Comma-separated DHIS2 UIDs (a letter, then 10 letters or digits); empty = none. */
        List<String> uids(String key) {
            List<String> uids = new ArrayList<>();
            for (String part : p.getProperty(key, "").split(",")) {
                String uid = part.trim();
                if (uid.isEmpty()) {
                    continue;
                }
                if (!uid.matches("[A-Za-z][A-Za-z0-9]{10}")) {
                    problem(key, "'" + uid + "' is not a DHIS2 UID (a letter followed by 10 letters or digits)");
                } else if (!uids.contains(uid)) {
                    uids.add(uid);
                }
            }
            return List.copyOf(uids);
        }

        /** sync.reservedValues.*: the limit must reach the threshold; clients are user:password pairs. */
        ReservedValueSettings reservedValues() {
            int threshold = integer("sync.reservedValues.threshold", 1, 1000);
            int limit = integer("sync.reservedValues.limit", 1, 1000);
            if (limit < threshold) {
                problem("sync.reservedValues.limit", "must be at least sync.reservedValues.threshold (" + threshold + ")");
            }
            Map<String, String> clients = new LinkedHashMap<>();
            for (String pair : p.getProperty("sync.reservedValues.clients", "").split(",")) {
                String entry = pair.trim();
                int colon = entry.indexOf(':');
                if (entry.isEmpty()) {
                    continue;
                }
                if (colon < 1 || colon == entry.length() - 1) {
                    // the entry is not echoed: it may hold a password
                    problem("sync.reservedValues.clients", "has an entry that is not user:password (entry "
                            + (clients.size() + 1) + ")");
                } else {
                    clients.put(entry.substring(0, colon), entry.substring(colon + 1));
                }
            }
            List<String> orgUnits = new ArrayList<>();
            for (String code : p.getProperty("sync.reservedValues.orgUnits", "").split(",")) {
                if (!code.isBlank()) {
                    orgUnits.add(code.trim());
                }
            }
            return new ReservedValueSettings(threshold, limit, uids("sync.reservedValues.attributes"),
                    List.copyOf(orgUnits), Map.copyOf(clients),
                    integer("sync.reservedValues.handoutFillWaitMillis", 0, 600_000));
        }

        /** sync.dataValues.format: json (default) or csv. */
        String dataValuesFormat() {
            String v = p.getProperty("sync.dataValues.format", "json").trim().toLowerCase(Locale.ROOT);
            if (!v.equals("json") && !v.equals("csv")) {
                problem("sync.dataValues.format", "'" + v + "' is not json or csv");
                return "json";
            }
            return v;
        }

        double decimal(String key, double min, double max) {
            String v = p.getProperty(key, "").trim();
            try {
                double d = Double.parseDouble(v);
                if (d < min || d > max || Double.isNaN(d)) {
                    problem(key, "'" + v + "' is outside the allowed range " + min + ".." + max);
                }
                return d;
            } catch (NumberFormatException e) {
                problem(key, "'" + v + "' is not a number (allowed " + min + ".." + max + ")");
                return min;
            }
        }

        boolean bool(String key) {
            String v = p.getProperty(key, "false").trim();
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                problem(key, "'" + v + "' is not true or false");
            }
            return v.equalsIgnoreCase("true");
        }

        Optional<Instant> instant(String key) {
            String v = p.getProperty(key, "").trim();
            if (v.isEmpty()) {
                return Optional.empty();
            }
            try {
                if (v.length() == 10) {
                    return Optional.of(LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC));
                }
                try {
                    return Optional.of(OffsetDateTime.parse(v).toInstant());
                } catch (DateTimeParseException e) {
                    return Optional.of(LocalDateTime.parse(v).toInstant(ZoneOffset.UTC));
                }
            } catch (DateTimeParseException e) {
                problem(key, "'" + v + "' is not a date (yyyy-MM-dd) or date-time (yyyy-MM-ddTHH:mm:ss[Z])");
                return Optional.empty();
            }
        }

        /** sync.jobs.TYPE.enabled / .cron (Quartz or a preset) / .delaySeconds; cron and delay exclude each other. */
        Optional<RunWindow> runWindow(String type) {
            String key = JobSchedule.key(type, "window");
            String value = p.getProperty(key, "").trim();
            String zone = p.getProperty(JobSchedule.key(type, "windowZone"), "").trim();
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(RunWindow.parse(value, zone));
            } catch (IllegalArgumentException e) {
                problem(e.getMessage().startsWith("'" + zone + "' is not a time zone") && !zone.isEmpty()
                        ? JobSchedule.key(type, "windowZone") : key, e.getMessage());
                return Optional.empty();
            }
        }

        JobSchedule jobSchedule(String type) {
            String enabledKey = JobSchedule.key(type, "enabled");
            String cronKey = JobSchedule.key(type, "cron");
            String delayKey = JobSchedule.key(type, "delaySeconds");
            boolean enabled = bool(enabledKey);
            String cron = p.getProperty(cronKey, "").trim();
            String delay = p.getProperty(delayKey, "").trim();
            String quartzCron = "";
            int delaySeconds = 0;
            if (!cron.isEmpty() && !delay.isEmpty()) {
                problem(cronKey, "set either " + cronKey + " or " + delayKey + ", not both");
                return new JobSchedule(type, false, cron, "", 0);
            }
            if (!cron.isEmpty()) {
                quartzCron = JobSchedule.PRESETS.getOrDefault(cron.toLowerCase(Locale.ROOT), cron);
                try {
                    CronExpression.validateExpression(quartzCron);
                } catch (ParseException e) {
                    problem(cronKey, "'" + cron + "' is not a Quartz cron expression (" + e.getMessage()
                            + "); use 'seconds minutes hours day-of-month month day-of-week [year]', e.g. '0 0 2 * * ?',"
                            + " or a preset: " + String.join(", ", JobSchedule.PRESETS.keySet().stream().sorted().toList()));
                    quartzCron = "";
                }
            }
            if (!delay.isEmpty()) {
                delaySeconds = integer(delayKey, 1, 2_592_000);
            }
            if (enabled && cron.isEmpty() && delay.isEmpty()) {
                problem(enabledKey, "is true but neither " + cronKey + " nor " + delayKey + " is set");
            }
            return new JobSchedule(type, enabled, cron, quartzCron, delaySeconds);
        }

        /** A sync.jobs.* key for a job type or setting that does not exist is a typo that would silently do nothing. */
        void unknownJobKeys() {
            for (String key : p.stringPropertyNames()) {
                if (!key.startsWith("sync.jobs.")) {
                    continue;
                }
                String rest = key.substring("sync.jobs.".length());
                int dot = rest.lastIndexOf('.');
                String type = dot < 0 ? rest : rest.substring(0, dot);
                String setting = dot < 0 ? "" : rest.substring(dot + 1);
                if (!JobSchedule.JOB_TYPES.contains(type) || !JobSchedule.SETTINGS.contains(setting)) {
                    problem(key, "unknown job setting; job types: " + String.join(", ", JobSchedule.JOB_TYPES)
                            + "; settings: " + String.join(", ", JobSchedule.SETTINGS));
                }
            }
        }

        Dhis2Connection connection(String name, boolean required) {
            String urlKey = name + ".url";
            String url = p.getProperty(urlKey, "").trim();
            String username = p.getProperty(name + ".username", "").trim();
            String password = p.getProperty(name + ".password", "");
            String token = p.getProperty(name + ".token", "").trim();
            if (url.isEmpty()) {
                if (required) {
                    problem(urlKey, "is required (base URL of the " + name + " DHIS2, e.g. https://dhis2.example.org)");
                }
                return null;
            }
            String shown = url.replaceAll("//[^/@]*@", "//***@"); // never echo credentials put into a URL
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            try {
                URI uri = new URI(url);
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                        || uri.getHost() == null) {
                    problem(urlKey, "'" + shown + "' is not an http(s) URL with a host");
                }
                if (uri.getUserInfo() != null) {
                    problem(urlKey, "must not contain credentials; use " + name + ".username/password or " + name + ".token");
                }
            } catch (Exception e) {
                problem(urlKey, "'" + shown + "' is not a valid URL");
            }
            if (token.isEmpty() && (username.isEmpty() || password.isEmpty())) {
                problem(name + ".username", "set " + name + ".username and " + name + ".password, or " + name + ".token");
            }
            return new Dhis2Connection(name, url, username, password, token);
        }

        AdminCredentials adminCredentials() {
            String username = p.getProperty("sync.admin.username", "").trim();
            String password = p.getProperty("sync.admin.password", "");
            String token = p.getProperty("sync.admin.token", "").trim();
            if (username.isEmpty() != password.isEmpty()) {
                problem("sync.admin.username", "set both sync.admin.username and sync.admin.password, or neither");
            }
            if (username.contains(":")) {
                problem("sync.admin.username", "must not contain ':' (HTTP Basic separates user and password with it)");
            }
            if (!token.isEmpty() && token.length() < AdminCredentials.MIN_TOKEN_LENGTH) {
                problem("sync.admin.token", "is too short: at least " + AdminCredentials.MIN_TOKEN_LENGTH
                        + " characters");
            }
            if (!token.isEmpty() && token.chars().anyMatch(Character::isWhitespace)) {
                problem("sync.admin.token", "must not contain spaces");
            }
            return new AdminCredentials(username, password, token);
        }

        // issue 17: an address to bind to, a literal (IPv4, IPv6) or a host name, never resolved here
        String host(String key) {
            String v = p.getProperty(key, "").trim();
            if (!v.matches("[A-Za-z0-9][A-Za-z0-9.\\-]{0,252}|[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*")) {
                problem(key, v.isEmpty() ? "is required (the address to listen on: 0.0.0.0 = every interface,"
                        + " 127.0.0.1 = this machine only)" : "'" + v + "' is not an IP address or host name");
                return "0.0.0.0";
            }
            return v;
        }

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }
    }
}
