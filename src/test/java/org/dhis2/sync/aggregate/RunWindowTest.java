package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run windows (issue 15): a DATA_SYNC run that begins inside its window stops taking pages when the window closes,
 * settling the page in flight; a scheduled fire after the window is skipped; run-now outside it runs to its end.
 */
class RunWindowTest {

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Engine start-up takes a few seconds; the window closes this long after the settings are made. */
    private static final Duration OPEN_FOR = Duration.ofSeconds(25);

    @TempDir
    Path temp;

    @Test
    void aRunStopsTakingPagesAtTheEndOfItsWindow() throws Exception {
        Instant end = Instant.now().plus(OPEN_FOR).truncatedTo(ChronoUnit.SECONDS);
        LocalTime start = LocalTime.ofInstant(Instant.now().minusSeconds(120), ZoneOffset.UTC);
        String window = HMS.format(start) + "-" + HMS.format(LocalTime.ofInstant(end, ZoneOffset.UTC));
        try (DataSyncFixture f = DataSyncFixture.start(temp, 41, 41, GeneratorSpec.small(), Map.of(
                "sync.jobs.DATA_SYNC.window", window, "sync.jobs.DATA_SYNC.windowZone", "UTC"))) {
            int values = f.pair.local().aggregate().size();
            int before = f.pair.central().aggregate().count();
            assertThat(values).as("5 pages of 50").isGreaterThan(200);
            // one second per page: the window closes while the second page is on its way
            f.pair.central().faults().on("POST", "/api/dataValueSets").fail(Fault.latency(Duration.ofSeconds(1)));
            long wait = end.toEpochMilli() - 1_500 - System.currentTimeMillis();
            assertThat(wait).as("the engine started within the window's margin").isPositive();
            Thread.sleep(wait);

            JobRun stopped = f.runJob();

            assertThat(stopped.status()).as(stopped.summary()).isEqualTo(JobRun.Status.CANCELLED);
            assertThat(stopped.summary()).contains("stopped at the end of its run window");
            long pages = f.posts("/api/dataValueSets").size();
            assertThat(pages).as("pages taken before the window closed, the one in flight settled").isBetween(1L, 3L);
            assertThat(f.postedValueKeys()).as("whole pages, none after the window").hasSize(
                    (int) Math.min(values, pages * 50));
            assertThat(f.pair.central().aggregate().count() - before).as("nothing but what was sent")
                    .isLessThanOrEqualTo((int) pages * 50);
            assertThat(f.watermark()).as("the window does not move: the rest is read again").isEmpty();

            // a scheduled fire after the window is skipped, not run
            f.engine.context().createProducerTemplate().send("direct:default.jobSchedule.run",
                    e -> e.getMessage().setHeader("jobType", "DATA_SYNC"));
            JobCoordinator jobs = f.engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class);
            assertThat(jobs.lastFinished("DATA_SYNC").orElseThrow().id()).isEqualTo(stopped.id());

            // run-now outside the window is the operator's request: it runs, to its end
            f.pair.central().faults().clear();
            JobRun now = f.runJob();
            assertThat(now.status()).as(now.summary()).isEqualTo(JobRun.Status.SUCCESS);
            f.assertCentralEqualsLocal();
        }
    }
}
