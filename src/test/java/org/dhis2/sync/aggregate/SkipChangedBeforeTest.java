package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sync.skipChangedBefore (DHIS2 syncSkipSyncForDataChangedBefore): older values and registrations are never sent. */
class SkipChangedBeforeTest {

    @TempDir
    static Path temp;

    @Test
    void valuesChangedBeforeTheCutOffAreNotSent() throws Exception {
        // generated values change after their (monthly) period ends: the cut-off splits them
        Instant cutOff = YearMonth.now(ZoneOffset.UTC).minusMonths(1).atDay(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        try (DataSyncFixture f = DataSyncFixture.start(temp, 41, 41, GeneratorSpec.small(),
                Map.of("sync.skipChangedBefore", cutOff.toString().substring(0, 10)))) {
            JobRun run = f.runJob();
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            long older = 0;
            long newer = 0;
            for (AggregateStore.DataValue v : f.pair.local().aggregate().values()) {
                var central = f.pair.central().aggregate().get(v.dataElement(), v.period(), v.orgUnit(),
                        v.categoryOptionCombo(), v.attributeOptionCombo());
                if (v.lastUpdated().isBefore(cutOff)) {
                    older++;
                    assertThat(central).as("older value not sent").isEmpty();
                } else if (!v.deleted()) {
                    newer++;
                    assertThat(central).as("newer value sent").isPresent();
                }
            }
            assertThat(older).isPositive();
            assertThat(newer).isPositive();
        }
    }
}
