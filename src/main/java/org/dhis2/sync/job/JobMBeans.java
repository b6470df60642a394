package org.dhis2.sync.job;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.dhis2.sync.config.JobSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers one {@link JobMBean} per job type on the platform MBean server, and removes them again. */
public final class JobMBeans {

    private static final Logger LOG = LoggerFactory.getLogger(JobMBeans.class);
    private final String pair;
    private final JobOperations operations;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    public JobMBeans(JobOperations operations) {
        this("default", operations);
    }

    public JobMBeans(String pair, JobOperations operations) {
        this.pair = pair;
        this.operations = operations;
    }

    /** The default pair's job (dhis2sync:type=jobs,name=TYPE, as before pairs existed). */
    public static ObjectName name(String jobType) {
        return name("default", jobType);
    }

    /** dhis2sync:type=jobs,name=TYPE for the default pair; dhis2sync:type=jobs,pair=PAIR,name=TYPE for another. */
    public static ObjectName name(String pair, String jobType) {
        try {
            return new ObjectName("dhis2sync:type=jobs," + ("default".equals(pair) ? "" : "pair=" + pair + ",")
                    + "name=" + jobType);
        } catch (JMException e) {
            throw new IllegalArgumentException(jobType, e);
        }
    }

    public synchronized void register() {
        for (String jobType : JobSchedule.JOB_TYPES) {
            ObjectName name = name(pair, jobType);
            try {
                if (server.isRegistered(name)) {
                    LOG.warn("JMX name {} is taken (another engine in this JVM); not registered", name);
                    continue;
                }
                server.registerMBean(new StandardMBean(new Job(jobType), JobMBean.class), name);
                registered.add(name);
            } catch (JMException e) {
                LOG.warn("Cannot register JMX bean {}: {}", name, e.getMessage());
            }
        }
    }

    public synchronized void unregister() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                LOG.debug("JMX bean {} already gone: {}", name, e.getMessage());
            }
        }
        registered.clear();
    }

    private final class Job implements JobMBean {
        private final String jobType;

        Job(String jobType) {
            this.jobType = jobType;
        }

        private JobOverview now() {
            return operations.overview(jobType);
        }

        private static String text(Instant instant) {
            return instant == null ? null : instant.toString();
        }

        @Override
        public String getJobType() {
            return jobType;
        }

        @Override
        public String getLastExecutedStatus() {
            return now().lastExecutedStatus();
        }

        @Override
        public String getLastExecuted() {
            return text(now().lastExecuted());
        }

        @Override
        public Long getLastRuntimeExecution() {
            return now().lastRuntimeMillis();
        }

        @Override
        public String getNextExecutionTime() {
            return text(now().nextExecutionTime());
        }

        @Override
        public boolean isRunning() {
            return now().running();
        }

        @Override
        public boolean isEnabled() {
            return now().enabled();
        }

        @Override
        public String getSchedule() {
            return now().schedule();
        }

        @Override
        public String execute() {
            try {
                return operations.execute(jobType, "JMX");
            } catch (JobAlreadyRunningException e) {
                // a JMX client may not have our exception class: hand it a JDK one with the same message
                throw new IllegalStateException(e.getMessage());
            }
        }
    }
}
