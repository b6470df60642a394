package org.dhis2.sync.job;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.quartz.QuartzComponent;
import org.dhis2.sync.config.JobSchedule;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.listeners.TriggerListenerSupport;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schedules of routes/job-schedules.camel.yaml of one sync pair: the delay timers (a job's next run starts
 * delaySeconds after its previous run ended, whoever started that run on whichever node), the overlap check of cron
 * fires, and each job's next execution time. Cron fires come from Quartz's clustered store (group = the sync pair,
 * trigger name = job type, see {@link ClusteredQuartz}).
 */
public final class JobScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

    private final String syncPair;
    private final Map<String, JobSchedule> schedules = new LinkedHashMap<>();
    private final JobCoordinator coordinator;
    private final RunWindows runWindows;
    private final Map<String, ScheduledFuture<?>> delayTimers = new ConcurrentHashMap<>();
    private final Map<String, Instant> nextDelayFire = new ConcurrentHashMap<>();
    private volatile CamelContext context;
    private volatile ScheduledExecutorService timer;
    private volatile ProducerTemplate template;

    public JobScheduler(String syncPair, List<JobSchedule> schedules, JobCoordinator coordinator) {
        this(syncPair, schedules, coordinator, new RunWindows(Map.of()));
    }

    /** With run windows: a fire outside its job's window is skipped; a run begun inside one stops at its end. */
    public JobScheduler(String syncPair, List<JobSchedule> schedules, JobCoordinator coordinator,
                        RunWindows runWindows) {
        this.syncPair = syncPair;
        this.runWindows = runWindows;
        coordinator.onBegin(runWindows::begun);
        schedules.forEach(s -> this.schedules.put(s.jobType(), s));
        this.coordinator = coordinator;
        coordinator.onFinish(this::rearmAfter);
    }

    /** True when the engine has a route for the job (direct:PAIR.job.TYPE). */
    public static boolean hasJobRoute(CamelContext context, String syncPair, String jobType) {
        return context.getRoutes().stream()
                .anyMatch(r -> r.getEndpoint().getEndpointUri().equals(JobEndpoints.jobRouteUri(syncPair, jobType)));
    }

    /** Arms the delay timers (first run delaySeconds after start) and logs skipped Quartz fires. */
    public void start(CamelContext camelContext) {
        this.context = camelContext;
        List<JobSchedule> enabled = schedules.values().stream().filter(JobSchedule::enabled).toList();
        for (JobSchedule s : enabled) {
            if (!hasJobRoute(camelContext, syncPair, s.jobType())) {
                LOG.warn("{} is scheduled ({}) but no route {} is installed: its schedule does nothing",
                        s.jobType(), s.describe(), JobEndpoints.jobRoute(syncPair, s.jobType()));
            }
        }
        List<JobSchedule> delayed = enabled.stream().filter(JobSchedule::isDelay).toList();
        if (!delayed.isEmpty()) {
            template = camelContext.createProducerTemplate();
            // one thread per delay job: a long run of one job never holds back another's timer
            timer = camelContext.getExecutorServiceManager().newScheduledThreadPool(this, "JobDelay", delayed.size());
            delayed.forEach(s -> arm(s, Instant.now().plusSeconds(s.delaySeconds())));
        }
        if (enabled.stream().anyMatch(JobSchedule::isCron)) {
            logMisfires();
        }
        enabled.forEach(s -> LOG.info("{} scheduled: {} (next {})", s.jobType(), s.describe(),
                nextExecutionTime(s.jobType()).map(Instant::toString).orElse("when the running run ends")));
    }

    /**
     * Stops the delay timers, and this node's taking of cron fires (Quartz standby: the other nodes of the cluster go
     * on with the schedules); runs in progress go on until Camel stops.
     */
    public void stop() {
        runWindows.stop(); // the engine stops: runs are asked to stop anyway
        standbyQuartz();
        ScheduledExecutorService t = timer;
        timer = null;
        delayTimers.values().forEach(f -> f.cancel(false));
        delayTimers.clear();
        nextDelayFire.clear();
        if (t != null) {
            context.getExecutorServiceManager().shutdown(t);
        }
    }

    public Optional<JobSchedule> schedule(String jobType) {
        return Optional.ofNullable(schedules.get(jobType));
    }

    /** When the job's schedule fires next: the Quartz trigger's next fire time or the armed delay timer. */
    public Optional<Instant> nextExecutionTime(String jobType) {
        JobSchedule s = schedules.get(jobType);
        if (s == null || !s.enabled() || context == null) {
            return Optional.empty();
        }
        if (s.isDelay()) {
            return Optional.ofNullable(nextDelayFire.get(jobType));
        }
        try {
            Trigger trigger = quartz().getTrigger(TriggerKey.triggerKey(jobType, JobEndpoints.quartzGroup(syncPair)));
            return Optional.ofNullable(trigger).map(Trigger::getNextFireTime).map(Date::toInstant);
        } catch (SchedulerException e) {
            LOG.warn("Cannot read the Quartz trigger of {}: {}", jobType, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Sets header skipReason when the fire is outside the job's run window (sync.jobs.TYPE.window), or when a cron
     * fire was due while a run of the job was in progress (on any node): Quartz (stateful, clustered) held it back
     * until that run ended, and running it now would queue it.
     */
    public void checkOverlap(Exchange exchange) {
        Date due = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
        String jobType = exchange.getMessage().getHeader("jobType", String.class);
        Optional<String> outside = runWindows.outside(jobType);
        if (outside.isPresent()) {
            exchange.getMessage().setHeader("skipReason", outside.get());
            // no run ends to re-arm a delay schedule: it fires again when the window opens
            JobSchedule s = schedules.get(jobType);
            if (s != null && s.enabled() && s.isDelay()) {
                runWindows.nextStart(jobType).ifPresent(at -> arm(s, at));
            }
            return;
        }
        if (due == null) {
            return;
        }
        coordinator.lastEndedInCluster(jobType)
                .filter(run -> !run.started().isAfter(due.toInstant()) && run.finished().isAfter(due.toInstant()))
                .ifPresent(run -> exchange.getMessage().setHeader("skipReason", "the run due at " + due.toInstant()
                        + " came while " + jobType + " was still running since " + run.started()));
    }

    private void arm(JobSchedule s, Instant at) {
        ScheduledExecutorService t = timer;
        if (t == null) {
            return;
        }
        ScheduledFuture<?> previous = delayTimers.put(s.jobType(), t.schedule(() -> fire(s),
                Math.max(0, at.toEpochMilli() - System.currentTimeMillis()), TimeUnit.MILLISECONDS));
        nextDelayFire.put(s.jobType(), at);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void rearmAfter(JobRun ended) {
        JobSchedule s = schedules.get(ended.jobType());
        if (s != null && s.enabled() && s.isDelay()) {
            arm(s, ended.finished().plusSeconds(s.delaySeconds()));
        }
    }

    private void fire(JobSchedule s) {
        nextDelayFire.remove(s.jobType());
        delayTimers.remove(s.jobType());
        if (notDueInCluster(s)) {
            return;
        }
        try {
            template.sendBody(JobEndpoints.delayEndpoint(syncPair, s.jobType()), null);
        } catch (RuntimeException e) {
            LOG.warn("{} delay schedule: {}", s.jobType(), e.getMessage());
        }
        // a run re-arms the timer when it ends; when this fire started none and none is running, wait again
        if (!delayTimers.containsKey(s.jobType()) && coordinator.running(s.jobType()).isEmpty()) {
            arm(s, Instant.now().plusSeconds(s.delaySeconds()));
        }
    }

    /**
     * Every node arms a timer; a fire runs the job only when its last run (on any node) ended delaySeconds ago and no
     * node runs it now. Otherwise the timer is armed again, quietly: for that end plus delaySeconds (a little later
     * than the node that ran it, which usually takes the next run), or delaySeconds on while it runs elsewhere.
     */
    private boolean notDueInCluster(JobSchedule s) {
        try {
            if (coordinator.runningElsewhere(s.jobType())) {
                arm(s, Instant.now().plusSeconds(s.delaySeconds()));
                return true;
            }
            Optional<Instant> due = coordinator.lastEndedInCluster(s.jobType())
                    .map(run -> run.finished().plusSeconds(s.delaySeconds()));
            if (due.isPresent() && due.get().isAfter(Instant.now().plusMillis(1))) { // timers fire to the millisecond
                arm(s, due.get().plusMillis(100 + java.util.concurrent.ThreadLocalRandom.current().nextInt(400)));
                return true;
            }
        } catch (RuntimeException e) {
            LOG.warn("{} delay schedule: cannot read the cluster's runs ({}); firing anyway", s.jobType(),
                    e.getMessage());
        }
        return false;
    }

    private void standbyQuartz() {
        CamelContext c = context;
        QuartzComponent quartz = c == null ? null : (QuartzComponent) c.hasComponent("quartz");
        Scheduler scheduler = quartz == null ? null : quartz.getScheduler();
        try {
            if (scheduler != null && !scheduler.isShutdown()) {
                scheduler.standby();
            }
        } catch (SchedulerException e) {
            LOG.warn("Cannot stop taking cron fires: {}", e.getMessage());
        }
    }

    private Scheduler quartz() throws SchedulerException {
        return context.getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    /** Quartz drops a cron fire held back by more than its misfire threshold (60 s); say so instead of silence. */
    private void logMisfires() {
        try {
            quartz().getListenerManager().addTriggerListener(new TriggerListenerSupport() {
                @Override
                public String getName() {
                    return "dhis2sync-job-misfires";
                }

                @Override
                public void triggerMisfired(Trigger trigger) {
                    String jobType = trigger.getKey().getName();
                    LOG.warn("{} schedule skipped: the run due at {} came while {} was still running (or the engine"
                            + " was too busy to start it)", jobType, trigger.getNextFireTime().toInstant(), jobType);
                }
            }, GroupMatcher.triggerGroupEquals(JobEndpoints.quartzGroup(syncPair)));
        } catch (SchedulerException e) {
            LOG.warn("Cannot watch Quartz misfires: {}", e.getMessage());
        }
    }
}
