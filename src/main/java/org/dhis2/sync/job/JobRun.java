package org.dhis2.sync.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One execution of a job (DATA_SYNC, META_DATA_SYNC, ...): its identity, progress tree, and the failures of its
 * stages. It ends FAILED when any stage reported a failure — never SUCCESS while data did not arrive.
 */
public final class JobRun {

    public enum Status { RUNNING, SUCCESS, FAILED, CANCELLED }

    private final long id;
    private final String jobId;
    private final String jobType;
    private final String trigger;
    private final Instant started;
    private final JobProgress progress;
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<StageOutcome> stageOutcomes = new CopyOnWriteArrayList<>();
    private volatile Status status = Status.RUNNING;
    private volatile Instant finished;
    private volatile boolean stopRequested;
    private volatile String stopCause = SHUTDOWN;
    private static final String SHUTDOWN = "the engine's shutdown";

    public JobRun(long id, String jobId, String jobType, String trigger, Instant started) {
        this.id = id;
        this.jobId = jobId;
        this.jobType = jobType;
        this.trigger = trigger;
        this.started = started;
        this.progress = new JobProgress(jobId);
    }

    public long id() {
        return id;
    }

    public String jobId() {
        return jobId;
    }

    public String jobType() {
        return jobType;
    }

    public String trigger() {
        return trigger;
    }

    public Instant started() {
        return started;
    }

    public JobProgress progress() {
        return progress;
    }

    /** A stage says that some of its work did not settle; the run will end FAILED with this reason. */
    public void recordFailure(String reason) {
        failures.add(reason);
    }

    /** Something the summary must tell that is not a failure (e.g. objects a download left alone). */
    public void recordNote(String note) {
        notes.add(note);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** A stage ended: its numbers, published as metrics when the run ends. */
    public void recordStage(StageOutcome outcome) {
        stageOutcomes.add(outcome);
    }

    public List<StageOutcome> stageOutcomes() {
        return List.copyOf(stageOutcomes);
    }

    /** The engine is shutting down: stages take no new page, settle what is in flight and end. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Stages take no new page, settle what is in flight and end, because of {@code cause} (e.g. its run window ended). */
    public void requestStop(String cause) {
        stopCause = cause;
        stopRequested = true;
    }

    /** What stopped the run: "the engine's shutdown", or what {@link #requestStop(String)} said. */
    public String stopCause() {
        return stopCause;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    public boolean hasFailed() {
        return !failures.isEmpty() || progress.hasErrors();
    }

    public Status status() {
        return status;
    }

    public Instant finished() {
        return finished;
    }

    /** Decides the final status from what the stages reported. */
    Status finish() {
        status = stopRequested ? Status.CANCELLED : hasFailed() ? Status.FAILED : Status.SUCCESS;
        finished = Instant.now().truncatedTo(ChronoUnit.MICROS); // as PostgreSQL keeps it
        return status;
    }

    /** One line for the job summary: the failures, or that all went well. */
    public String summary() {
        if (stopRequested && !SHUTDOWN.equals(stopCause)) {
            return jobType + " stopped at " + stopCause + "; what was not sent is sent next run"
                    + (failures.isEmpty() ? "." : ": " + String.join("; ", failures));
        }
        if (stopRequested) {
            return jobType + " stopped: the engine shut down during the run; what was not sent is sent next run"
                    + (failures.isEmpty() ? "." : ": " + String.join("; ", failures));
        }
        String noted = notes.isEmpty() ? "" : " " + String.join(" ", notes);
        if (!hasFailed()) {
            return "SUCCESS! " + jobType + " job is done." + noted;
        }
        return (failures.isEmpty() ? jobType + " failed." : jobType + " failed: " + String.join("; ", failures))
                + noted;
    }
}
