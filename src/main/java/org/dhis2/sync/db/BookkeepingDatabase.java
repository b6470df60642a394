package org.dhis2.sync.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.dhis2.sync.config.SyncSettings;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping store: a configured PostgreSQL, or an embedded PostgreSQL (real binaries from Maven Central)
 * whose data directory persists across restarts. Migrated by Flyway on open; one HikariCP pool for everything.
 */
public final class BookkeepingDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BookkeepingDatabase.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;

    private BookkeepingDatabase(EmbeddedPostgres embedded, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
    }

    public static BookkeepingDatabase open(SyncSettings settings) {
        EmbeddedPostgres embedded = null;
        String url = settings.dbUrl();
        String username = settings.dbUsername();
        String password = settings.dbPassword();
        try {
            if (settings.embeddedDatabase()) {
                embedded = startEmbedded(settings.embeddedDataDir(), settings.embeddedPort());
                url = embedded.getJdbcUrl("postgres", "postgres");
                username = "postgres";
                password = "";
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("bookkeeping");
            config.setJdbcUrl(url);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(settings.dbPoolSize());
            config.setConnectionTimeout(10_000);
            HikariDataSource ds = new HikariDataSource(config);
            migrate(ds);
            LOG.info("Bookkeeping database ready ({})", settings.embeddedDatabase()
                    ? "embedded PostgreSQL, data in " + settings.embeddedDataDir().toAbsolutePath()
                    : "PostgreSQL at " + settings.dbUrl().replaceAll("password=[^&]*", "password=***"));
            return new BookkeepingDatabase(embedded, ds);
        } catch (IOException | RuntimeException e) {
            if (embedded != null) {
                closeQuietly(embedded);
            }
            throw new IllegalStateException("Cannot open the bookkeeping database: " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgres startEmbedded(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        Path workDir = dataDir.toAbsolutePath().getParent().resolve("pg-binaries");
        Files.createDirectories(workDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toAbsolutePath())
                .setCleanDataDirectory(false) // a restart must not forget what was synchronized
                .setOverrideWorkingDirectory(workDir.toFile());
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
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
            closeQuietly(embedded);
        }
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
