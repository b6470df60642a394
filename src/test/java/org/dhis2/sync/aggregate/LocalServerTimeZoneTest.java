package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Contract;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DATA_SYNC from a local DHIS2 whose server runs in a non-UTC time zone (DHIS2 writes serverDate and reads
 * lastUpdated parameters in the server's local time without offset): east of UTC (Africa/Nairobi, +03:00) and west
 * (America/Bogota, -05:00). Values written before a run and while it pages all arrive; the watermark stays on the
 * server's real clock, so a run with nothing changed sends nothing (no skip, no loop).
 */
class LocalServerTimeZoneTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"Africa/Nairobi", "America/Bogota"})
    @Contract("SYS-4")
    void everyValueArrivesAndTheWatermarkNeitherSkipsNorLoops(String zone) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(zone.replace('/', '_')));
        try (DataSyncFixture f = DataSyncFixture.start(dir, 41, 42, GeneratorSpec.small(), Map.of())) {
            f.pair.local().clock().setZone(ZoneId.of(zone));

            JobRun first = f.runJob();
            assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);
            f.assertCentralEqualsLocal();
            Instant watermark = f.watermark().orElseThrow();
            assertThat(Duration.between(watermark, Instant.now()).abs())
                    .as("the watermark is the local server's real time, not its wall clock read as UTC")
                    .isLessThan(Duration.ofMinutes(1));

            // one value written just before the run, one while the run pages through the export
            List<AggregateStore.DataValue> live = f.pair.local().aggregate().values().stream()
                    .filter(v -> !v.deleted() && v.value().matches("\\d+")).toList();
            AggregateStore.DataValue before = live.get(5);
            AggregateStore.DataValue during = live.get(17);
            set(f, before, "9001");
            f.pair.local().faults().on("GET", "/api/dataValueSets").requests(1)
                    .fail(Fault.changeAfterAnswer(() -> set(f, during, "9002")));
            f.pair.central().requests().clear();

            JobRun second = f.runJob();
            assertThat(second.status()).as(second.summary()).isEqualTo(JobRun.Status.SUCCESS);
            JobRun third = f.runJob();
            assertThat(third.status()).as(third.summary()).isEqualTo(JobRun.Status.SUCCESS);

            f.assertCentralEqualsLocal();
            assertThat(f.postedValueKeys()).contains(DataSyncFixture.key(before), DataSyncFixture.key(during));
            f.pair.local().faults().clear();
            f.pair.central().requests().clear();
            JobRun quiet = f.runJob();
            assertThat(quiet.status()).as(quiet.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(f.postedValueKeys()).as("nothing changed: nothing sent").isEmpty();
        }
    }

    private static void set(DataSyncFixture f, AggregateStore.DataValue v, String value) {
        f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                v.attributeOptionCombo(), value);
    }
}
