package org.dhis2.sync.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ledger rows in the background, in batches, so that a page's send never waits for the bookkeeping database.
 * A row that cannot be kept is never lost silently: a full queue (the database far behind) or a batch the database
 * refused three times is counted and logged at WARN with the number; at shutdown what is queued is written within a
 * time limit, and anything left is logged with its number.
 */
final class LedgerWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
    private static final int CAPACITY = 50_000;
    private static final int BATCH = 500;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final BlockingQueue<LedgerRow> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong lostInWriting = new AtomicLong();
    private final Thread thread;
    private final Runnable eachRound;
    private volatile boolean closing;
    private long lostReported;

    /** @param eachRound run by the writer thread about once a second (e.g. to sweep calls never closed) */
    LedgerWriter(DataSource dataSource, Runnable eachRound) {
        this.dataSource = dataSource;
        this.eachRound = eachRound;
        this.thread = new Thread(this::run, "dhis2-sync-request-ledger");
        thread.setDaemon(true);
    }

    /** Starts writing (with Camel: an engine that never starts leaves no thread behind). */
    void start() {
        if (!thread.isAlive() && !closing) {
            thread.start();
        }
    }

    void add(LedgerRow row) {
        if (closing && !thread.isAlive() || !queue.offer(row)) {
            lost.incrementAndGet();
            return;
        }
        accepted.incrementAndGet();
    }

    /** Waits until every row added so far is written (or given up); true when done within the time. */
    boolean flush(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written.get() + lostInWriting.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(10);
        }
        return true;
    }

    private void run() {
        long lastRound = System.nanoTime();
        List<LedgerRow> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                LedgerRow first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    write(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                if (!closing) {
                    continue;
                }
                break;
            } catch (RuntimeException e) {
                LOG.warn("Request ledger writer: {}", e.toString());
            }
            if (System.nanoTime() - lastRound > 1_000_000_000L) {
                lastRound = System.nanoTime();
                eachRound.run();
                reportLost();
            }
        }
        reportLost();
    }

    private void write(List<LedgerRow> rows) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                insert(rows);
                written.addAndGet(rows.size());
                return;
            } catch (SQLException e) {
                LOG.warn("Request ledger: {} rows not written yet (attempt {} of 3): {}", rows.size(), attempt,
                        e.getMessage());
                sleep(attempt * 500L);
            }
        }
        lost.addAndGet(rows.size());
        lostInWriting.addAndGet(rows.size());
    }

    private void insert(List<LedgerRow> rows) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("request-ledger-insert"))) {
            c.setAutoCommit(false);
            for (LedgerRow r : rows) {
                int i = 1;
                s.setString(i++, r.syncPair());
                setLong(s, i++, r.runId());
                setLong(s, i++, r.runId());
                s.setString(i++, r.jobType());
                s.setString(i++, r.stage());
                s.setString(i++, r.step());
                if (r.page() == null) {
                    s.setNull(i++, Types.INTEGER);
                } else {
                    s.setInt(i++, r.page());
                }
                s.setString(i++, r.method());
                s.setString(i++, r.instance());
                s.setString(i++, r.path());
                if (r.status() == null) {
                    s.setNull(i++, Types.INTEGER);
                } else {
                    s.setInt(i++, r.status());
                }
                s.setString(i++, r.failure());
                setLong(s, i++, r.bytesOut());
                setLong(s, i++, r.bytesIn());
                s.setLong(i++, r.millis());
                s.setInt(i++, r.attempt());
                s.setObject(i++, r.requestId());
                s.setTimestamp(i, Timestamp.from(r.at()));
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
        }
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v);
        }
    }

    private synchronized void reportLost() {
        long now = lost.get();
        if (now > lostReported) {
            LOG.warn("Request ledger: {} calls could not be recorded (queue full or database refused them); {} in all",
                    now - lostReported, now);
            lostReported = now;
        }
    }

    /** Writes what is queued (up to 10 s) and stops; rows left are counted in the log. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(SHUTDOWN_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        List<LedgerRow> left = new ArrayList<>();
        queue.drainTo(left);
        lost.addAndGet(left.size());
        reportLost();
        LOG.info("Request ledger closed: {} calls recorded since start, {} could not be recorded", written.get(),
                lost.get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
