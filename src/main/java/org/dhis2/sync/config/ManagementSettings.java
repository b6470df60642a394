package org.dhis2.sync.config;

/**
 * The management server and who may use it (sync.management.*, sync.health.*, sync.admin.*, sync.console.*,
 * sync.ledger.*).
 *
 * @param port                          port of health, metrics, admin API and console (0 = any free port)
 * @param host                          address it binds to (0.0.0.0 = every interface)
 * @param healthCacheSeconds            how long /observe/health reuses a DHIS2 instance's last check
 * @param healthTimeoutMillis           connect and answer timeout of the health and start-up checks of DHIS2
 * @param admin                         who may call the admin HTTP API; neither set means a generated token
 * @param consoleSessionIdleMinutes     a console session is forgotten after this many minutes without a request
 * @param adminMaxFailedLogins          wrong admin logins per client address within the window before it is refused
 * @param adminFailedLoginWindowSeconds that window
 * @param ledgerRetentionDays           request ledger rows older than this many days are deleted
 */
record ManagementSettings(int port, String host, int healthCacheSeconds, int healthTimeoutMillis,
                          AdminCredentials admin, int consoleSessionIdleMinutes, int adminMaxFailedLogins,
                          int adminFailedLoginWindowSeconds, int ledgerRetentionDays) {

    static ManagementSettings read(SettingsChecker c) {
        // checked in this order, so problems are reported in it
        int port = c.integer("sync.management.port", 0, 65535);
        int healthCacheSeconds = c.integer("sync.health.dhis2.cacheSeconds", 0, 3600);
        int healthTimeoutMillis = c.integer("sync.health.dhis2.timeoutMillis", 100, 60_000);
        AdminCredentials admin = new CredentialsReader(c).adminCredentials();
        // issue 17 (operator console)
        int consoleSessionIdleMinutes = c.integer("sync.console.sessionIdleMinutes", 1, 1440);
        int adminMaxFailedLogins = c.integer("sync.admin.maxFailedLogins", 1, 10_000);
        int adminFailedLoginWindowSeconds = c.integer("sync.admin.failedLoginWindowSeconds", 1, 86_400);
        // issue 17 (request ledger, management server)
        String host = c.host("sync.management.host");
        int ledgerRetentionDays = c.integer("sync.ledger.retentionDays", 1, 3650);
        return new ManagementSettings(port, host, healthCacheSeconds, healthTimeoutMillis, admin,
                consoleSessionIdleMinutes, adminMaxFailedLogins, adminFailedLoginWindowSeconds, ledgerRetentionDays);
    }
}
