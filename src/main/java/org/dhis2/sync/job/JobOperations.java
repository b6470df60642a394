package org.dhis2.sync.job;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.dhis2.sync.config.JobSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobControl} of the engine (bound as {@code jobControl}): what each job did last and does next, and run-now.
 * The last status comes from job_run, so it survives a restart; it is FAILED whenever the run did not fully succeed.
 */
public final class JobOperations implements JobControl {

    private static final Logger LOG = LoggerFactory.getLogger(JobOperations.class);

    private final JobCoordinator coordinator;
    private final JobScheduler scheduler;
    private final JobHistory history;
    private volatile CamelContext context;
    private volatile ProducerTemplate template;

    public JobOperations(JobCoordinator coordinator, JobScheduler scheduler, JobHistory history) {
        this.coordinator = coordinator;
        this.scheduler = scheduler;
        this.history = history;
    }

    public void start(CamelContext camelContext) {
        this.context = camelContext;
        this.template = camelContext.createProducerTemplate();
    }

    @Override
    public List<JobOverview> overview() {
        Set<String> elsewhere = coordinator.runsOnOtherNodes(JobSchedule.JOB_TYPES).keySet();
        return JobSchedule.JOB_TYPES.stream().map(type -> overview(type, elsewhere.contains(type))).toList();
    }

    /** One job's overview. */
    public JobOverview overview(String jobType) {
        return overview(jobType, coordinator.runsOnOtherNodes(List.of(jobType)).containsKey(jobType));
    }

    private JobOverview overview(String jobType, boolean runningElsewhere) {
        JobSchedule schedule = knownSchedule(jobType);
        // running here, or on another node of the cluster
        boolean running = coordinator.running(jobType).isPresent() || runningElsewhere;
        Optional<JobHistory.EndedRun> last = lastEnded(jobType);
        String status = running ? "RUNNING" : last.map(JobHistory.EndedRun::status).orElse("NOT_STARTED");
        return new JobOverview(jobType, schedule.enabled(), schedule.describe(), status,
                last.map(JobHistory.EndedRun::started).orElse(null),
                last.map(JobHistory.EndedRun::runtimeMillis).orElse(null),
                scheduler.nextExecutionTime(jobType).orElse(null), running);
    }

    @Override
    public Optional<Object> runningProgress(String jobType) {
        Optional<JobRun> here = coordinator.running(jobType);
        if (here.isPresent()) {
            return Optional.of(here.get().progress().processes());
        }
        // a run on another node: its tree as that node last saved it (it saves it at every change)
        return Optional.ofNullable(coordinator.runsOnOtherNodes(List.of(jobType)).get(jobType)).map(run -> {
            try {
                return run.progressJson() == null ? java.util.List.of()
                        : JobCoordinator.JSON.readTree(run.progressJson());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable progress of run " + run.jobId(), e);
            }
        });
    }

    @Override
    public String execute(String jobType, String trigger) {
        Exchange exchange = begin(jobType, trigger, java.util.Map.of());
        JobRun run = exchange.getProperty(JobCoordinator.RUN_PROPERTY, JobRun.class);
        template.asyncSend(JobEndpoints.jobRoute(coordinator.syncPair(), jobType), exchange).whenComplete((done, error) -> {
            if (error != null || done.getException() != null) {
                LOG.warn("{} run {} ({}) did not complete normally: {}", jobType, run.jobId(), trigger,
                        error != null ? error.getMessage() : done.getException().getMessage());
                coordinator.abandon(exchange);
            }
        });
        return run.jobId();
    }

    @Override
    public JobRun runAndWait(String jobType, String trigger, java.util.Map<String, Object> properties) {
        Exchange exchange = begin(jobType, trigger, properties);
        JobRun run = exchange.getProperty(JobCoordinator.RUN_PROPERTY, JobRun.class);
        Exchange done = template.send(JobEndpoints.jobRoute(coordinator.syncPair(), jobType), exchange);
        if (done.getException() != null) {
            coordinator.abandon(done);
        }
        return run;
    }

    /** Begins a run (refused while it or a job sharing a stage runs) on an exchange for the job's route. */
    private Exchange begin(String jobType, String trigger, java.util.Map<String, Object> properties) {
        knownSchedule(jobType);
        if (context == null || !JobScheduler.hasJobRoute(context, coordinator.syncPair(), jobType)) {
            throw new IllegalArgumentException("job " + jobType + " has no route ("
                    + JobEndpoints.jobRoute(coordinator.syncPair(), jobType) + ") installed");
        }
        JobRun run = coordinator.begin(jobType, trigger);
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader("trigger", trigger);
        exchange.setProperty(JobCoordinator.RUN_PROPERTY, run);
        properties.forEach(exchange::setProperty);
        return exchange;
    }

    private JobSchedule knownSchedule(String jobType) {
        return scheduler.schedule(jobType).orElseThrow(() -> new IllegalArgumentException(
                "unknown job type '" + jobType + "'; known: " + String.join(", ", JobSchedule.JOB_TYPES)));
    }

    /** The newer of this process's last ended run and the recorded one (a failed write must not hide a run). */
    private Optional<JobHistory.EndedRun> lastEnded(String jobType) {
        Optional<JobHistory.EndedRun> recorded = history.lastEnded(jobType);
        Optional<JobHistory.EndedRun> inMemory = coordinator.lastFinished(jobType).map(JobHistory.EndedRun::of);
        if (inMemory.isEmpty()) {
            return recorded;
        }
        if (recorded.isEmpty() || !recorded.get().started().isAfter(inMemory.get().started())) {
            return inMemory;
        }
        return recorded;
    }
}
