package org.dhis2.sync.db;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** /observe/health: DOWN when the bookkeeping database does not answer a trivial query within 5 seconds. */
public final class BookkeepingHealthCheck extends AbstractHealthCheck {

    private final DataSource dataSource;

    public BookkeepingHealthCheck(DataSource dataSource) {
        super("dhis2-sync", "bookkeeping-database");
        this.dataSource = dataSource;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.execute("select 1 from stage_watermark limit 1");
            builder.up();
        } catch (Exception e) {
            builder.message("bookkeeping database unavailable: " + e.getMessage());
            builder.down();
        }
    }
}
