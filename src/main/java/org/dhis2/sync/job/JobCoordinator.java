package org.dhis2.sync.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.dhis2.sync.db.SqlFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and ends job runs: at most one run per job type at a time in the whole cluster (a trigger during a run is
 * refused, not queued; {@link RunLocks} holds the run's locks in PostgreSQL), every run persisted in job_run with its
 * progress tree. Routes call {@link #begin(Exchange, String)} and
 * {@link #finish(Exchange)}; stages find the run in the exchange property {@value #RUN_PROPERTY}.
 */
public final class JobCoordinator {

    public static final String RUN_PROPERTY = "dhis2sync.jobRun";
    private static final Logger LOG = LoggerFactory.getLogger(JobCoordinator.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final DataSource dataSource;
    private final String syncPair;
    private final RunLocks locks;
    private final RunLockWatch lockWatch;
    private final ClusterRuns cluster;
    private final Map<String, JobRun> running = new ConcurrentHashMap<>();
    private final Map<String, JobRun> lastFinished = new ConcurrentHashMap<>();
    private final List<Consumer<JobRun>> finishListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<JobRun>> beginListeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    public JobCoordinator(DataSource dataSource, String syncPair) {
        this(dataSource, syncPair, 7_500);
    }

    /** {@code lockCheckMillis}: how often a running run checks that it still holds its run locks. */
    public JobCoordinator(DataSource dataSource, String syncPair, long lockCheckMillis) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
        this.locks = new RunLocks(dataSource, syncPair);
        this.lockWatch = new RunLockWatch(locks, lockCheckMillis);
        this.cluster = new ClusterRuns(dataSource, syncPair);
    }

    public String syncPair() {
        return syncPair;
    }

    /** The job run a stage works for; a stage called outside a job is a wiring error in the routes. */
    public static JobRun currentRun(Exchange exchange, String stage) {
        JobRun run = exchange.getProperty(RUN_PROPERTY, JobRun.class);
        if (run == null) {
            throw new IllegalStateException(stage + " runs inside a job (no job run on the exchange)");
        }
        return run;
    }

    /**
     * Starts a run of the job for this exchange; the trigger comes from the header {@code trigger} (default SCHEDULE).
     * A run already begun for this exchange (by run-now or a schedule, before handing it to the job's route) is taken
     * over instead, so the caller learns of a refusal before the hand-off.
     */
    public JobRun begin(Exchange exchange, String jobType) {
        JobRun handedOver = exchange.getProperty(RUN_PROPERTY, JobRun.class);
        if (handedOver != null && handedOver.jobType().equals(jobType) && running.get(jobType) == handedOver) {
            return handedOver;
        }
        String trigger = exchange.getMessage().getHeader("trigger", "SCHEDULE", String.class);
        java.util.Date due = exchange.getMessage().getHeader("scheduledFireTime", java.util.Date.class);
        JobRun run = begin(jobType, trigger, "SCHEDULE".equals(trigger) && due != null ? due.toInstant() : null);
        exchange.setProperty(RUN_PROPERTY, run);
        return run;
    }

    public JobRun begin(String jobType, String trigger) {
        return begin(jobType, trigger, null);
    }

    /**
     * Begins a run, unless this job or one that shares a stage with it (see {@link JobStages}) is running on any node:
     * then the trigger is refused with {@link JobAlreadyRunningException}. {@code scheduledFire}: the cron fire that
     * started it (null for other triggers); a fire starts one run in the cluster.
     */
    public JobRun begin(String jobType, String trigger, Instant scheduledFire) {
        JobRun created;
        synchronized (running) { // the check and the registration are one step across job types
            if (stopping) {
                throw new IllegalStateException(jobType + " not started: the engine is shutting down");
            }
            Optional<String> blocking = JobStages.sharingStages(jobType, List.copyOf(running.keySet()));
            if (blocking.isPresent()) {
                JobRun other = running.get(blocking.get());
                throw blocking.get().equals(jobType)
                        ? new JobAlreadyRunningException(jobType, other.started())
                        : new JobAlreadyRunningException(jobType, other.jobType(), other.started());
            }
            if (!locks.tryLock(jobType)) {
                throw cluster.refusal(jobType);
            }
            try {
                cluster.closeOrphans(jobType); // under the locks: what job_run calls RUNNING there has no node left
                created = insert(jobType, trigger, scheduledFire);
            } catch (RuntimeException e) {
                locks.release(jobType);
                throw e;
            }
            running.put(jobType, created);
            lockWatch.watch(created);
        }
        JobRun run = created;
        run.progress().onChange(() -> saveProgress(run));
        beginListeners.forEach(l -> l.accept(run));
        LOG.info("{} started (run {}, trigger {})", jobType, created.jobId(), trigger);
        return created;
    }

    /** Ends the exchange's run: FAILED when any stage reported a failure, else SUCCESS; persisted with its tree. */
    public JobRun.Status finish(Exchange exchange) {
        JobRun run = exchange.getProperty(RUN_PROPERTY, JobRun.class);
        if (run == null) {
            throw new IllegalStateException("no job run on this exchange");
        }
        if (exchange.getException() != null) {
            run.recordFailure(exchange.getException().getMessage());
        }
        return finish(run);
    }

    /**
     * Ends a run begun for this exchange whose job route never took it over (route missing or stopped): FAILED with
     * the exchange's exception. Does nothing when there is no run or it has ended already.
     */
    public void abandon(Exchange exchange) {
        JobRun run = exchange.getProperty(RUN_PROPERTY, JobRun.class);
        if (run != null && run.status() == JobRun.Status.RUNNING) {
            Exception cause = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            run.recordFailure("the run was not carried out: " + (cause == null ? "unknown reason" : cause.getMessage()));
            finish(run);
        }
    }

    /** Persists the end of the run; a run that has ended already is left as it is. */
    public JobRun.Status finish(JobRun run) {
        if (run.status() != JobRun.Status.RUNNING) {
            return run.status();
        }
        JobRun.Status status = run.finish();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-finish"))) {
            s.setString(1, status.name());
            s.setTimestamp(2, Timestamp.from(run.finished()));
            s.setString(3, run.summary());
            s.setString(4, progressJson(run));
            s.setLong(5, run.id());
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.error("Could not record the end of {} run {}: {}", run.jobType(), run.jobId(), e.getMessage());
        } finally {
            lockWatch.unwatch(run);
            running.remove(run.jobType(), run);
            lastFinished.put(run.jobType(), run);
            locks.release(run.jobType()); // after the end is recorded: the next run sees it
        }
        LOG.info("{} {} (run {}): {}", run.jobType(), status, run.jobId(), run.summary());
        for (Consumer<JobRun> listener : finishListeners) {
            try {
                listener.accept(run);
            } catch (RuntimeException e) {
                LOG.warn("After the end of {} run {}: {}", run.jobType(), run.jobId(), e.toString());
            }
        }
        return status;
    }

    /**
     * Writes the tree of a running run, so that a run whose engine died shows where it stopped (and
     * {@code /api/scheduling/running/{jobType}} can be read from any node). Never fails the run: a write that does
     * not succeed is logged, and the next change writes the whole tree again.
     */
    void saveProgress(JobRun run) {
        synchronized (run) { // one writer per run at a time, each writing the whole current tree
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-progress"))) {
                s.setString(1, progressJson(run));
                s.setLong(2, run.id());
                s.executeUpdate();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Could not record the progress of {} run {}: {}", run.jobType(), run.jobId(), e.getMessage());
            }
        }
    }

    /**
     * Shutdown: no new run starts, and every running run is asked to stop taking pages; then waits up to
     * {@code timeout} for them to settle what is in flight and end. Returns whether they all ended in time.
     */
    public boolean stopRuns(java.time.Duration timeout) {
        synchronized (running) {
            stopping = true;
            running.values().forEach(JobRun::requestStop);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!running.isEmpty()) {
            LOG.warn("Shutting down with {} still running after {} s; the next start sends what they did not",
                    running.keySet(), timeout.toSeconds());
        }
        return running.isEmpty();
    }

    /** Called when a run has begun (e.g. to stop it at the end of its run window). */
    public void onBegin(Consumer<JobRun> listener) {
        beginListeners.add(listener);
    }

    /** Called after every run has ended and been recorded (e.g. to start the delay before the next run). */
    public void onFinish(Consumer<JobRun> listener) {
        finishListeners.add(listener);
    }

    public Optional<JobRun> running(String jobType) {
        return Optional.ofNullable(running.get(jobType));
    }

    public Optional<JobRun> lastFinished(String jobType) {
        return Optional.ofNullable(lastFinished.get(jobType));
    }

    /** The runs on other nodes of the cluster of those job types none goes on here for (read, no lock taken). */
    public Map<String, ClusterRuns.Elsewhere> runsOnOtherNodes(List<String> jobTypes) {
        return cluster.runningElsewhere(jobTypes.stream().filter(type -> !running.containsKey(type)).toList());
    }

    /** The run of the job that ended last on any node (job_run). */
    public Optional<ClusterRuns.Ended> lastEndedInCluster(String jobType) {
        return cluster.lastEnded(jobType);
    }

    /** Whether a run of the job is in progress on another node. */
    public boolean runningElsewhere(String jobType) {
        return running.get(jobType) == null && locks.runningElsewhere(jobType);
    }

    static String progressJson(JobRun run) {
        try {
            return JSON.writeValueAsString(run.progress().processes());
        } catch (Exception e) {
            throw new IllegalStateException("progress not serializable", e);
        }
    }

    private JobRun insert(String jobType, String trigger, Instant scheduledFire) {
        String jobId = UUID.randomUUID().toString();
        Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS); // as PostgreSQL keeps it
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("job-run-insert"))) {
            s.setString(1, jobId);
            s.setString(2, jobType);
            s.setString(3, syncPair);
            s.setString(4, trigger);
            s.setTimestamp(5, Timestamp.from(started));
            s.setString(6, RunLocks.NODE);
            s.setTimestamp(7, scheduledFire == null ? null : Timestamp.from(scheduledFire));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new JobRun(rs.getLong(1), jobId, jobType, trigger, started);
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState()) && scheduledFire != null) { // job_run_one_run_per_fire
                throw JobAlreadyRunningException.fireTaken(jobType, scheduledFire, cluster.runOfFire(jobType,
                        scheduledFire).map(ClusterRuns.Holder::node).orElse("another node"), e);
            }
            throw new IllegalStateException("cannot record the start of " + jobType + ": " + e.getMessage(), e);
        }
    }
}
