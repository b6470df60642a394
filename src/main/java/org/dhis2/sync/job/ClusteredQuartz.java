package org.dhis2.sync.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.CamelJob;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.StatefulCamelJob;
import org.dhis2.sync.config.JobSchedule;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz for the cron schedules, clustered on the bookkeeping PostgreSQL: JDBC job store (tables QRTZ_*, Flyway
 * V17) through the engine's own connection pool, {@code isClustered=true}, one scheduler name for every node and an
 * instance id per node. Each fire of a trigger is taken by exactly one node; a node that stops checking in is taken
 * as failed and its fired triggers are recovered by another. camel-quartz neither pauses nor deletes triggers when a
 * clustered node stops, so stopping one node leaves the others' schedule alone. At start the store is cleaned: the
 * triggers of jobs no longer scheduled by cron, and of pairs no longer configured, are removed (the node started
 * last decides the cluster's schedules; camel-quartz replaces a trigger whose cron changed).
 */
public final class ClusteredQuartz {

    /** Quartz's SCHED_NAME: the same on every node, so they form one cluster. */
    public static final String SCHEDULER_NAME = "dhis2-sync";
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredQuartz.class);
    private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

    private ClusteredQuartz() {
    }

    /**
     * The quartz component of the engine (bind it as "quartz"), creating its scheduler when the first quartz route
     * starts.
     *
     * @param cronJobsByPair for each sync pair, its schedules (those enabled with a cron keep their triggers)
     */
    public static QuartzComponent component(DataSource dataSource, long checkinIntervalMillis,
                                            Map<String, List<JobSchedule>> cronJobsByPair) {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setSchedulerFactory(new Factory(dataSource, checkinIntervalMillis, cronJobsByPair));
        return quartz;
    }

    static Properties properties(String dataSourceName, long checkinIntervalMillis, int threads) {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, SCHEDULER_NAME);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.jmx.export", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMillis));
        // nodes take a trigger under the store's row lock, never two at once
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        return p;
    }

    /** Creates the clustered scheduler for camel-quartz; one per engine, even when a JVM runs several engines. */
    private static final class Factory implements SchedulerFactory {

        private final DataSource dataSource;
        private final long checkinIntervalMillis;
        private final Map<String, List<JobSchedule>> schedulesByPair;
        private Scheduler scheduler;

        Factory(DataSource dataSource, long checkinIntervalMillis, Map<String, List<JobSchedule>> schedulesByPair) {
            this.dataSource = dataSource;
            this.checkinIntervalMillis = checkinIntervalMillis;
            this.schedulesByPair = schedulesByPair;
        }

        @Override
        public synchronized Scheduler getScheduler() throws SchedulerException {
            if (scheduler != null && !scheduler.isShutdown()) {
                return scheduler;
            }
            // Quartz looks connection providers up by name in a JVM-wide registry: a name of this engine's own
            String name = "dhis2sync-bookkeeping-" + DATA_SOURCES.incrementAndGet();
            DBConnectionManager.getInstance().addConnectionProvider(name, new PoolConnections(dataSource));
            int cronJobs = (int) schedulesByPair.values().stream().flatMap(List::stream)
                    .filter(s -> s.enabled() && s.isCron()).count();
            // a cron run holds a Quartz thread for its whole length; each job runs once at a time
            Properties p = properties(name, checkinIntervalMillis, Math.max(2, cronJobs + 1));
            synchronized (ClusteredQuartz.class) {
                // Quartz keeps one scheduler per name per JVM and hands out the existing one: taken out of that
                // registry at once, each engine of a JVM (tests, the sandbox) gets a scheduler on its own database
                scheduler = new StdSchedulerFactory(p).getScheduler();
                SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
            }
            scheduler.setJobFactory(new EngineJobFactory());
            removeStale(scheduler, schedulesByPair);
            return scheduler;
        }

        @Override
        public Scheduler getScheduler(String schedName) throws SchedulerException {
            return SCHEDULER_NAME.equals(schedName) ? getScheduler() : null;
        }

        @Override
        public synchronized Collection<Scheduler> getAllSchedulers() {
            return scheduler == null ? List.of() : List.of(scheduler);
        }
    }

    /** Removes the triggers and jobs of jobs no longer scheduled by cron, and of pairs no longer configured. */
    static void removeStale(Scheduler scheduler, Map<String, List<JobSchedule>> schedulesByPair)
            throws SchedulerException {
        for (String group : scheduler.getTriggerGroupNames()) {
            Set<String> keep = schedulesByPair.entrySet().stream()
                    .filter(e -> JobEndpoints.quartzGroup(e.getKey()).equals(group))
                    .flatMap(e -> e.getValue().stream()).filter(s -> s.enabled() && s.isCron())
                    .map(JobSchedule::jobType).collect(Collectors.toSet());
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(group))) {
                if (!keep.contains(key.getName())) {
                    LOG.info("Removing the stored schedule {}/{}: the job is no longer scheduled by cron", group,
                            key.getName());
                    scheduler.unscheduleJob(key);
                    scheduler.deleteJob(JobKey.jobKey(key.getName(), group));
                }
            }
        }
    }

    /** Quartz's connections come from the engine's pool (HikariCP); the pool is closed by the engine. */
    private record PoolConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the engine closes its pool itself
        }

        @Override
        public void initialize() {
            // nothing to set up
        }
    }

    /**
     * Runs the stored camel-quartz jobs in this engine's Camel context. The store keeps the name of the context that
     * scheduled the job, which differs when another node (or an earlier engine of this JVM) stored it; this
     * scheduler serves one context only, so that one runs it.
     */
    private static final class EngineJobFactory extends PropertySettingJobFactory {

        @Override
        public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
            if (CamelJob.class.isAssignableFrom(bundle.getJobDetail().getJobClass())) {
                return new EngineCamelJob();
            }
            return super.newJob(bundle, scheduler);
        }
    }

    private static final class EngineCamelJob extends StatefulCamelJob {

        @Override
        protected CamelContext getCamelContext(JobExecutionContext context) throws JobExecutionException {
            try {
                return super.getCamelContext(context);
            } catch (JobExecutionException storedByAnotherContext) {
                return getSchedulerContext(context).values().stream().filter(CamelContext.class::isInstance)
                        .map(CamelContext.class::cast).findFirst().orElseThrow(() -> storedByAnotherContext);
            }
        }
    }
}
