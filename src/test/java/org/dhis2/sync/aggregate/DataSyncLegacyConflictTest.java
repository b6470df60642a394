package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 #12: a central that answers conflicts without indexes (DHIS2 2.36: {@code {"object": period, "value":
 * "Current date is past expiry days for period P and data set: DS"}}) rejects only the values of that data set;
 * values of other data sets for the same period are not marked rejected.
 */
class DataSyncLegacyConflictTest {

    @TempDir
    static Path temp;
    static DataSyncFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = DataSyncFixture.start(temp, 41, 36, GeneratorSpec.small(), Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aPeriodConflictNamingOneDataSetRejectsOnlyThatSetsValues() throws Exception {
        JobRun first = f.runJob();
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);

        // two values of the same period and org unit, of data elements in different data sets
        var dataSets = f.pair.local().catalog().list("dataSets");
        List<AggregateStore.DataValue> live = f.pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted() && v.value().matches("\\d+")).toList();
        AggregateStore.DataValue a = null;
        AggregateStore.DataValue b = null;
        for (AggregateStore.DataValue x : live) {
            for (AggregateStore.DataValue y : live) {
                if (x.period().equals(y.period()) && x.orgUnit().equals(y.orgUnit())
                        && !dataSetOf(dataSets, x.dataElement()).equals(dataSetOf(dataSets, y.dataElement()))) {
                    a = x;
                    b = y;
                    break;
                }
            }
            if (a != null) {
                break;
            }
        }
        assertThat(a).as("generated data has two data sets in one period").isNotNull();
        AggregateStore local = f.pair.local().aggregate();
        for (AggregateStore.DataValue v : List.of(a, b)) {
            local.setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), String.valueOf(Integer.parseInt(v.value()) + 1000));
        }
        f.pair.central().aggregate().expirePeriod(dataSetOf(dataSets, a.dataElement()), a.period());

        JobRun run = f.runJob();

        String keyA = DataSyncFixture.key(a);
        String keyB = DataSyncFixture.key(b);
        assertThat(f.query("select uid from sync_item where kind = 'dataValue' and state = 'ERROR'"))
                .extracting(r -> r.get("uid")).containsExactly(keyA);
        assertThat(f.pair.central().aggregate().get(b.dataElement(), b.period(), b.orgUnit(),
                b.categoryOptionCombo(), b.attributeOptionCombo()).orElseThrow().value())
                .isEqualTo(String.valueOf(Integer.parseInt(b.value()) + 1000));
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("1 data value rejected by central (conflicts recorded)")
                .doesNotContain("did not arrive");
        assertThat(keyB).isNotEqualTo(keyA);
    }

    private static String dataSetOf(List<com.fasterxml.jackson.databind.node.ObjectNode> dataSets, String de) {
        for (var ds : dataSets) {
            for (var dse : ds.path("dataSetElements")) {
                if (de.equals(dse.path("dataElement").path("id").asText())) {
                    return ds.path("id").asText();
                }
            }
        }
        return "";
    }
}
