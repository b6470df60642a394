package org.dhis2.sync.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.SqlFile;
import org.dhis2.sync.http.Dhis2Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request ledger: every HTTP call the engine makes to a DHIS2 instance, one row per attempt in request_ledger
 * (see V18__request_ledger.sql). Two hooks fill it: {@link LedgerNotifier} (Camel's send events: run, stage, page,
 * attempt, X-Request-ID) and {@link LedgerHttp} (inside the HTTP client: bytes and status); {@link LedgerWriter}
 * writes in the background. Retention: {@link #purge()}, called by routes/request-ledger.camel.yaml.
 */
public final class RequestLedger {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLedger.class);
    private static final int PURGE_BATCH = 10_000;

    private final DataSource dataSource;
    private final int retentionDays;
    private final LedgerWriter writer;
    private final LedgerNotifier notifier;
    private final LedgerHttp http;

    /** @param instances base URLs of the DHIS2 instances, to name the instance of each call */
    public RequestLedger(DataSource dataSource, int retentionDays, List<String> instances) {
        this.dataSource = dataSource;
        this.retentionDays = retentionDays;
        LedgerNotifier[] self = new LedgerNotifier[1];
        // calls whose answer body nobody closed within 10 minutes are written with the bytes read so far
        this.writer = new LedgerWriter(dataSource, () -> self[0].sweep(Duration.ofMinutes(10).toNanos()));
        this.notifier = new LedgerNotifier(new SafeUri(instances), writer);
        self[0] = notifier;
        this.http = new LedgerHttp(notifier::call);
    }

    /**
     * Binds the ledger as {@code requestLedger}, adds its counting to the HTTP client ({@code dhis2Authentication}
     * must be bound) and its event notifier to Camel.
     */
    /** @param instances the base URLs of every DHIS2 instance of every sync pair */
    public static RequestLedger bind(Main main, SyncSettings settings, DataSource dataSource,
                                     java.util.List<String> instances) {
        RequestLedger ledger = new RequestLedger(dataSource, settings.ledgerRetentionDays(), instances);
        main.bind("requestLedger", ledger);
        ((Dhis2Authentication) main.lookup("dhis2Authentication")).alsoConfigure(ledger.http);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                m.getCamelContext().getManagementStrategy().addEventNotifier(ledger.notifier);
            }
        });
        return ledger;
    }

    /** Deletes the rows older than sync.ledger.retentionDays, in bounded batches; returns how many. */
    public int purge() {
        return purgeOlderThan(Instant.now().minus(Duration.ofDays(retentionDays)));
    }

    int purgeOlderThan(Instant before) {
        int total = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("request-ledger-purge"))) {
            int deleted;
            do {
                s.setTimestamp(1, Timestamp.from(before));
                s.setInt(2, PURGE_BATCH);
                deleted = s.executeUpdate();
                total += deleted;
            } while (deleted == PURGE_BATCH);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete old request ledger rows: " + e.getMessage(), e);
        }
        if (total > 0) {
            LOG.info("Request ledger: {} calls older than {} days deleted", total, retentionDays);
        }
        return total;
    }

    /** Waits until every call recorded so far is written; true when done within the time (tests, shutdown). */
    public boolean flush(Duration timeout) {
        return writer.flush(timeout);
    }

    public int retentionDays() {
        return retentionDays;
    }
}
