package org.dhis2.sync.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The bookkeeping DataSource while the database is still opening (embedded PostgreSQL starting, Flyway migrating)
 * in the background: Camel loads and starts the routes meanwhile, and whatever asks for a connection first waits
 * until the database is ready, or gets its opening failure as an SQLException.
 */
public final class DeferredDataSource implements DataSource {

    private final CompletableFuture<BookkeepingDatabase> opening;

    public DeferredDataSource(CompletableFuture<BookkeepingDatabase> opening) {
        this.opening = opening;
    }

    /** The database, once open (waits for it). */
    public BookkeepingDatabase database() throws SQLException {
        try {
            return opening.join();
        } catch (CompletionException e) {
            throw new SQLException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(),
                    e.getCause() == null ? e : e.getCause());
        }
    }

    private DataSource target() throws SQLException {
        return database().dataSource();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target().isWrapperFor(type);
    }
}
