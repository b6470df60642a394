package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The DATA_SYNC story (values arrive, changes and deletions propagate, a rejected value is recorded as a conflict
 * and not re-sent until it changes) with data values sent as gzipped application/csv, 2.40 local to 2.41 central.
 */
class DataSyncCsvTest extends DataSyncJobTestBase {
    @Override
    int version() {
        return 40;
    }

    @Override
    int centralVersion() {
        return 41;
    }

    @Override
    Map<String, String> settings() {
        return Map.of("sync.dataValues.format", "csv");
    }

    @Test
    @Order(9)
    void dataValuesWentAsGzippedCsvWithAHeaderRow() throws Exception {
        DataSyncFixture f = fixture();
        var local = f.pair.local().aggregate();
        var v = local.values().stream().filter(x -> !x.deleted() && x.value().matches("\\d+")).skip(30)
                .findFirst().orElseThrow();
        local.setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(), v.attributeOptionCombo(),
                "31");
        f.pair.central().requests().clear();

        var run = f.runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(org.dhis2.sync.job.JobRun.Status.SUCCESS);
        assertThat(f.posts("/api/dataValueSets")).singleElement().satisfies(e -> {
            assertThat(e.gzipped()).as("gzip magic bytes").isTrue();
            assertThat(e.bodyText()).startsWith(DataSyncFixture.CSV_HEADER)
                    .contains(v.dataElement() + "," + v.period() + "," + v.orgUnit() + ","
                            + v.categoryOptionCombo() + "," + v.attributeOptionCombo() + ",31,");
        });
        f.assertCentralEqualsLocal();
    }
}
