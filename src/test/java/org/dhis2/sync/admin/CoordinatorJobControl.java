package org.dhis2.sync.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.dhis2.sync.job.JobAlreadyRunningException;
import org.dhis2.sync.job.JobControl;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobOverview;
import org.dhis2.sync.job.JobRun;

/**
 * A small real JobControl for the admin API tests, while the scheduler's implementation is built elsewhere: it
 * runs the job routes (direct:job.TYPE) in the background through the engine's real JobCoordinator, which refuses a
 * second run of a running job.
 */
final class CoordinatorJobControl implements JobControl {

    private final Supplier<CamelContext> context;
    private final List<String> jobTypes;

    CoordinatorJobControl(Supplier<CamelContext> context, List<String> jobTypes) {
        this.context = context;
        this.jobTypes = jobTypes;
    }

    private JobCoordinator jobs() {
        return context.get().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class);
    }

    @Override
    public List<JobOverview> overview() {
        return jobTypes.stream().map(type -> {
            Optional<JobRun> last = jobs().lastFinished(type);
            boolean running = jobs().running(type).isPresent();
            String status = running ? "RUNNING" : last.map(r -> r.status().name()).orElse("NOT_STARTED");
            return new JobOverview(type, true, "", status, last.map(JobRun::started).orElse(null),
                    last.map(r -> Duration.between(r.started(), r.finished()).toMillis()).orElse(null), null, running);
        }).toList();
    }

    @Override
    public String execute(String jobType, String trigger) {
        if (!jobTypes.contains(jobType)) {
            throw new IllegalArgumentException("unknown job type " + jobType);
        }
        if (jobs().running(jobType).isPresent()) {
            throw new JobAlreadyRunningException(jobType);
        }
        String before = jobs().lastFinished(jobType).map(JobRun::jobId).orElse(null);
        context.get().createProducerTemplate().asyncSend("direct:job." + jobType,
                e -> e.getMessage().setHeader("trigger", trigger));
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Optional<JobRun> run = jobs().running(jobType).or(() -> jobs().lastFinished(jobType)
                    .filter(r -> !r.jobId().equals(before)));
            if (run.isPresent()) {
                return run.get().jobId();
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(jobType + " did not start");
    }
}
