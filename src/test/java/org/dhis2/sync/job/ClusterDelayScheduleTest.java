package org.dhis2.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.dhis2.sync.config.JobSchedule;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingDatabase;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delay schedule on two nodes sharing one PostgreSQL (two schedulers with their own coordinator, Camel context and
 * lock session): the next run starts delaySeconds after the previous one ended, whichever node ran it (also when the
 * node that ran it stops and the other one goes on), and the nodes never run the job at once.
 */
class ClusterDelayScheduleTest {

    @TempDir
    Path temp;

    record Run(String node, Instant started, Instant finished) {
    }

    @Test
    void theDelayCountsFromTheLastRunOnAnyNodeAndNoTwoRunsOverlap() throws Exception {
        try (BookkeepingDatabase database = BookkeepingDatabase.open(SyncSettings.forValidation(
                TestEngines.properties(temp.resolve("pg"), temp.resolve("routes"), Map.of())))) {
            List<JobSchedule> schedules = List.of(new JobSchedule("DATA_SYNC", true, "", "", 1));
            AtomicInteger refused = new AtomicInteger();
            List<CamelContext> contexts = new ArrayList<>();
            List<JobScheduler> schedulers = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                JobCoordinator coordinator = new JobCoordinator(database.dataSource(), "default");
                JobScheduler scheduler = new JobScheduler("default", schedules, coordinator);
                CamelContext context = new DefaultCamelContext();
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        // a run of 300 ms, recorded with the node that ran it
                        from(JobEndpoints.delayEndpoint("default", "DATA_SYNC")).process(e -> {
                            JobRun run;
                            try {
                                run = coordinator.begin("DATA_SYNC", "SCHEDULE");
                            } catch (JobAlreadyRunningException lostTheRace) {
                                refused.incrementAndGet();
                                return;
                            }
                            Thread.sleep(300);
                            run.recordNote(node);
                            coordinator.finish(run);
                        });
                    }
                });
                context.start();
                contexts.add(context);
                schedulers.add(scheduler);
            }
            schedulers.forEach(s -> s.start(contexts.get(schedulers.indexOf(s))));
            // the node that ran last usually takes the next run too; when it stops, the other one goes on
            Thread.sleep(5_000);
            String first = runs(database).get(runs(database).size() - 1).node();
            schedulers.get(first.equals("node-a") ? 0 : 1).stop();
            Thread.sleep(5_000);
            schedulers.forEach(JobScheduler::stop);
            Thread.sleep(500); // a run in progress ends
            contexts.forEach(CamelContext::stop);

            List<Run> runs = runs(database);
            System.out.printf("delay 1 s on two nodes for 10 s: %d runs (%d on node-a), %d starts refused%n",
                    runs.size(), runs.stream().filter(r -> r.node().equals("node-a")).count(), refused.get());
            assertThat(runs.size()).isBetween(5, 9);
            assertThat(runs).extracting(Run::node).contains("node-a", "node-b");
            for (int i = 1; i < runs.size(); i++) {
                assertThat(Duration.between(runs.get(i - 1).finished(), runs.get(i).started()))
                        .as("pause before run %d (%s after %s)", i, runs.get(i), runs.get(i - 1))
                        .isBetween(Duration.ofMillis(999), Duration.ofMillis(1800));
            }
        }
    }

    private static List<Run> runs(BookkeepingDatabase database) throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select summary, started, finished from job_run"
                     + " where job_type = 'DATA_SYNC' and finished is not null order by started");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String summary = rs.getString(1);
                runs.add(new Run(summary.contains("node-a") ? "node-a" : "node-b", rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant()));
            }
        }
        return runs;
    }
}
