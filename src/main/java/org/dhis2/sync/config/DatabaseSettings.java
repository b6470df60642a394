package org.dhis2.sync.config;

import java.nio.file.Path;

/**
 * The bookkeeping database (sync.db.*): an external PostgreSQL, or the embedded one when the URL is empty.
 * {@link #toString()} never shows the password.
 *
 * @param url             PostgreSQL JDBC URL; empty = the embedded database
 * @param embeddedDataDir data folder of the embedded PostgreSQL
 * @param embeddedPort    port of the embedded PostgreSQL (0 = any free port)
 * @param embeddedDurable fsync, synchronous commit and full page writes of the embedded PostgreSQL
 *                        (sync.db.embedded.durable)
 * @param poolSize        connections in the pool
 */
public record DatabaseSettings(String url, String username, String password, Path embeddedDataDir, int embeddedPort,
                              boolean embeddedDurable, int poolSize) {

    static DatabaseSettings read(SettingsChecker c) {
        String url = c.text("sync.db.url");
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
            c.problem("sync.db.url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db) or empty for the embedded database");
        }
        return new DatabaseSettings(url, c.text("sync.db.username"), c.secret("sync.db.password"),
                Path.of(c.required("sync.db.embedded.dataDir")), c.integer("sync.db.embedded.port", 0, 65535),
                c.bool("sync.db.embedded.durable"), c.integer("sync.db.poolSize", 2, 200));
    }

    public boolean embedded() {
        return url.isEmpty();
    }

    /** The URL to show in logs: a password given as a URL parameter is masked. */
    public String shownUrl() {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + shownUrl() + ", username=" + username
                + "/***, embeddedDataDir=" + embeddedDataDir + ", embeddedPort=" + embeddedPort + ", embeddedDurable="
                + embeddedDurable + ", poolSize=" + poolSize + "]";
    }
}
