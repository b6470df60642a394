package org.dhis2.sync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class DeferredDataSourceTest {

    @Test
    void aDatabaseThatFailedToOpenIsReportedToWhoeverAsksForAConnection() {
        DeferredDataSource ds = new DeferredDataSource(CompletableFuture.failedFuture(
                new IllegalStateException("Cannot open the bookkeeping database: connection refused")));
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                .hasMessage("Cannot open the bookkeeping database: connection refused")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ds::database).isInstanceOf(SQLException.class);
    }

    @Test
    void itIsItsOwnWrapperWithoutWaitingForTheDatabase() throws Exception {
        DeferredDataSource ds = new DeferredDataSource(new CompletableFuture<>()); // never opens
        assertThat(ds.isWrapperFor(DataSource.class)).isTrue();
        assertThat(ds.unwrap(DeferredDataSource.class)).isSameAs(ds);
    }
}
