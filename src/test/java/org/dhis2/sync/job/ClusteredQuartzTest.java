package org.dhis2.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.dhis2.sync.config.JobSchedule;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingDatabase;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cron triggers in Quartz's clustered store on PostgreSQL, as nodes start one after the other with changed
 * configurations: a changed cron replaces the stored one, a job no longer scheduled by cron (or a pair no longer
 * configured) loses its stored trigger, and a stopping node leaves the triggers for the others.
 */
class ClusteredQuartzTest {

    @TempDir
    Path temp;

    @Test
    void theStoreFollowsTheConfigurationOfTheNodeStartedLast() throws Exception {
        try (BookkeepingDatabase database = BookkeepingDatabase.open(SyncSettings.forValidation(
                TestEngines.properties(temp.resolve("pg"), temp.resolve("routes"), Map.of())))) {
            // a node scheduling DATA_SYNC and META_DATA_SYNC for pair "default" and DATA_SYNC for pair "site-b"
            CamelContext first = node(database, Map.of(
                    "default", List.of(cron("DATA_SYNC", "0 0 2 * * ?"), cron("META_DATA_SYNC", "0 0 3 * * ?")),
                    "site-b", List.of(cron("DATA_SYNC", "0 0 4 * * ?"))));
            QuartzComponent quartz = first.getComponent("quartz", QuartzComponent.class);
            assertThat(quartz.getScheduler().getMetaData().isJobStoreClustered()).isTrue();
            assertThat(quartz.getScheduler().getMetaData().getJobStoreClass().getSimpleName()).isEqualTo("JobStoreTX");
            assertThat(quartz.getScheduler().getSchedulerName()).isEqualTo(ClusteredQuartz.SCHEDULER_NAME);
            assertThat(stored(database)).containsExactlyInAnyOrder("default/DATA_SYNC 0 0 2 * * ?",
                    "default/META_DATA_SYNC 0 0 3 * * ?", "site-b/DATA_SYNC 0 0 4 * * ?");
            first.stop();
            // stopping a clustered node deletes nothing: the other nodes go on with these schedules
            assertThat(stored(database)).hasSize(3);
            assertThat(count(database, "select count(*) from qrtz_scheduler_state")).isEqualTo(1);

            // the next node: DATA_SYNC at another time, META_DATA_SYNC by delay, site-b gone
            CamelContext second = node(database, Map.of("default", List.of(cron("DATA_SYNC", "0 30 2 * * ?"),
                    new JobSchedule("META_DATA_SYNC", true, "", "", 600))));
            assertThat(stored(database)).containsExactly("default/DATA_SYNC 0 30 2 * * ?");
            assertThat(count(database, "select count(*) from qrtz_job_details")).isEqualTo(1);
            second.stop();
        }
    }

    private static JobSchedule cron(String jobType, String cron) {
        return new JobSchedule(jobType, true, cron, cron, 0);
    }

    /** A node: a Camel context with the engine's quartz component and one cron route per scheduled job. */
    private static CamelContext node(BookkeepingDatabase database, Map<String, List<JobSchedule>> pairs)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addComponent("quartz", ClusteredQuartz.component(database.dataSource(), 1000, pairs));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                pairs.forEach((pair, schedules) -> schedules.stream().filter(JobSchedule::isCron).forEach(s ->
                        from("quartz:" + JobEndpoints.quartzGroup(pair) + "/" + s.jobType() + "?stateful=true&cron="
                                + s.quartzCron().replace(' ', '+')).log("fired")));
            }
        });
        context.start();
        return context;
    }

    private static List<String> stored(BookkeepingDatabase database) throws Exception {
        List<String> triggers = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select t.trigger_group, t.trigger_name, c.cron_expression"
                     + " from qrtz_triggers t join qrtz_cron_triggers c using (sched_name, trigger_name, trigger_group)"
                     + " where t.sched_name = 'dhis2-sync' order by 1, 2")) {
            while (rs.next()) {
                triggers.add(rs.getString(1) + "/" + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return triggers;
    }

    private static long count(BookkeepingDatabase database, String query) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
