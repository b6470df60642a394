package org.dhis2.sync.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server left running by an engine that was killed (SIGKILL, power loss of the JVM only): its
 * postmaster outlives the engine (parent 1) and keeps the data directory, so the next start cannot start its own.
 * Called only while holding the data directory's engine lock, so a postmaster serving our directory has no engine.
 */
final class OrphanedPostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private OrphanedPostmaster() {
    }

    /**
     * Stops the postmaster named by {@code postmaster.pid} when it serves {@code dataDir}; removes a pid file whose
     * process is gone or is something else (a reused pid would make PostgreSQL refuse to start).
     */
    static void stopIfRunning(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            pid = -1;
        }
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (process.isEmpty() || !process.get().isAlive()) {
            LOG.info("Removing the stale postmaster.pid of a PostgreSQL that is no longer running");
            Files.deleteIfExists(pidFile);
            return;
        }
        if (!servesDirectory(pid, dataDir)) {
            LOG.info("postmaster.pid names pid {}, which is not a PostgreSQL of {}; removing the stale file", pid,
                    dataDir.toAbsolutePath());
            Files.deleteIfExists(pidFile);
            return;
        }
        LOG.warn("Stopping the embedded PostgreSQL (pid {}) left running by an engine that did not stop cleanly",
                pid);
        ProcessHandle postmaster = process.get();
        postmaster.destroy(); // SIGTERM: PostgreSQL's smart shutdown; its clients died with the old engine
        if (!waitForExit(postmaster, STOP_WAIT)) {
            LOG.warn("PostgreSQL (pid {}) did not stop within {} s; killing it (it recovers from its WAL)", pid,
                    STOP_WAIT.toSeconds());
            postmaster.destroyForcibly();
            if (!waitForExit(postmaster, STOP_WAIT)) {
                throw new IllegalStateException("the orphaned embedded PostgreSQL (pid " + pid + ") of "
                        + dataDir.toAbsolutePath() + " cannot be stopped");
            }
        }
    }

    /** The process is a postgres whose working directory is the data directory (the postmaster chdirs into it). */
    static boolean servesDirectory(long pid, Path dataDir) {
        try {
            Path cwd = Path.of("/proc", String.valueOf(pid), "cwd").toRealPath();
            String command = ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("");
            return cwd.equals(dataDir.toRealPath()) && Path.of(command).getFileName().toString().startsWith("postgres");
        } catch (IOException | RuntimeException e) {
            return false; // not readable: not ours (another user's process, or gone)
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
