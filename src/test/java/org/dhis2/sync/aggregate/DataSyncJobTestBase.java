package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATA_SYNC end to end against one sandbox pair, one story: first sync, nothing changed, changes and a delete,
 * conflicts, clocks ahead and behind. Subclasses choose the DHIS2 versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DataSyncJobTestBase {

    @TempDir
    static Path temp;
    DataSyncFixture f;

    /** The local DHIS2's version. */
    abstract int version();

    /** The central DHIS2's version. */
    abstract int centralVersion();

    /** Engine settings of the story beyond the fixture's (e.g. the data value format). */
    Map<String, String> settings() {
        return Map.of();
    }

    DataSyncFixture fixture() throws Exception {
        if (f == null) {
            f = DataSyncFixture.start(temp, version(), centralVersion(), GeneratorSpec.small(), settings());
        }
        return f;
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    @Order(1)
    void firstSyncCopiesEveryValueAndRegistration() throws Exception {
        DataSyncFixture f = fixture();
        JobRun run = f.runJob();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        f.assertCentralEqualsLocal();
        f.assertCentralRegistrationsEqualLocal();
        assertThat(f.watermark()).isPresent();
        // the progress tree: a process per stage, "Counting…" stages, page items
        var processes = run.progress().processes();
        assertThat(processes).hasSize(2);
        assertThat(processes.get(0).getDescription()).isEqualTo("Starting DataValueSynchronization job");
        assertThat(processes.get(0).getSummary()).startsWith("SUCCESS! DataValueSynchronization job is done.");
        assertThat(processes.get(0).getStages().get(0).getDescription()).isEqualTo("Counting data values");
        assertThat(processes.get(0).getStages().get(1).getItems()).hasSizeGreaterThan(1);
        assertThat(processes.get(1).getStages().get(1).getItems().get(0).getDescription()).contains("page 1 of");
    }

    @Test
    @Order(2)
    void secondRunWithoutChangesSendsNothing() throws Exception {
        DataSyncFixture f = fixture();
        f.pair.central().requests().clear();
        JobRun run = f.runJob();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.posts("/api/dataValueSets")).isEmpty();
        assertThat(f.posts("/api/completeDataSetRegistrations")).isEmpty();
    }

    @Test
    @Order(3)
    void exactlyTheChangedAndDeletedValuesAreSent() throws Exception {
        DataSyncFixture f = fixture();
        List<AggregateStore.DataValue> live = f.pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted() && v.value().matches("\\d+")).toList();
        AggregateStore local = f.pair.local().aggregate();
        for (int i = 0; i < 3; i++) {
            AggregateStore.DataValue v = live.get(i * 7);
            local.setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), String.valueOf(Integer.parseInt(v.value()) + 1));
        }
        AggregateStore.DataValue gone = live.get(40);
        local.delete(gone.dataElement(), gone.period(), gone.orgUnit(), gone.categoryOptionCombo(),
                gone.attributeOptionCombo());
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.postedValueKeys()).containsExactlyInAnyOrder(DataSyncFixture.key(live.get(0)),
                DataSyncFixture.key(live.get(7)), DataSyncFixture.key(live.get(14)), DataSyncFixture.key(gone));
        assertThat(f.pair.central().aggregate().get(gone.dataElement(), gone.period(), gone.orgUnit(),
                gone.categoryOptionCombo(), gone.attributeOptionCombo()).orElseThrow().deleted()).isTrue();
        f.assertCentralEqualsLocal();
    }

    @Test
    @Order(4)
    void rejectedValueIsRecordedNotResentAndResentAfterItChanges() throws Exception {
        DataSyncFixture f = fixture();
        AggregateStore.DataValue v = f.pair.local().aggregate().values().stream()
                .filter(x -> !x.deleted() && x.value().matches("\\d+")).skip(3).findFirst().orElseThrow();
        f.pair.central().faults().rejectedUids().add(v.orgUnit());
        f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                v.attributeOptionCombo(), "4242");
        String key = DataSyncFixture.key(v);

        JobRun first = f.runJob();
        // issue 11 #9: a value central rejected fails the run, and the summary says so apart from "did not arrive"
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.FAILED);
        assertThat(first.summary()).contains("1 data value rejected by central (conflicts recorded)")
                .doesNotContain("did not arrive");
        var conflicts = f.query("select uid, value, error_code from import_conflict where kind = 'dataValue'");
        assertThat(conflicts).anySatisfy(c -> {
            assertThat(c.get("uid")).isEqualTo(key);
            assertThat((String) c.get("value")).contains("Organisation unit not found or not accessible");
            assertThat(c.get("error_code")).isEqualTo("E7612");
        });
        assertThat(f.query("select state from sync_item where kind = 'dataValue' and uid = '" + key + "'"))
                .extracting(r -> r.get("state")).containsExactly("ERROR");

        f.pair.central().requests().clear();
        JobRun second = f.runJob();
        // settled: not sent again, so nothing was rejected this time
        assertThat(second.status()).as(second.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.postedValueKeys()).doesNotContain(key);

        f.pair.central().faults().rejectedUids().clear();
        f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                v.attributeOptionCombo(), "4343");
        f.pair.central().requests().clear();
        JobRun third = f.runJob();
        assertThat(third.status()).as(third.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.postedValueKeys()).containsExactly(key);
        assertThat(f.query("select state from sync_item where kind = 'dataValue' and uid = '" + key + "'"))
                .extracting(r -> r.get("state")).containsExactly("SYNCED");
        f.assertCentralEqualsLocal();
    }

    @Test
    @Order(5)
    void registrationChangesAreFoundByFingerprint() throws Exception {
        DataSyncFixture f = fixture();
        AggregateStore local = f.pair.local().aggregate();
        AggregateStore.Registration r = local.registrations().get(0);
        Instant now = f.pair.local().clock().tick();
        local.putRegistration(new AggregateStore.Registration(r.dataSet(), r.period(), r.organisationUnit(),
                r.attributeOptionCombo(), r.date(), r.storedBy(), r.created(), now, "admin", false));
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.posts("/api/completeDataSetRegistrations")).hasSize(1);
        assertThat(f.posts("/api/completeDataSetRegistrations").get(0).bodyText()).contains("\"completed\":false")
                .contains(r.organisationUnit()).doesNotContain("lastUpdated");
        f.assertCentralRegistrationsEqualLocal();
    }

    @Test
    @Order(7)
    void rejectedRegistrationFailsTheRunAndIsNotResentUntilItChanges() throws Exception {
        DataSyncFixture f = fixture();
        AggregateStore local = f.pair.local().aggregate();
        AggregateStore.Registration r = local.registrations().get(1);
        Instant now = f.pair.local().clock().tick();
        local.putRegistration(new AggregateStore.Registration(r.dataSet(), r.period(), r.organisationUnit(),
                r.attributeOptionCombo(), r.date(), r.storedBy(), r.created(), now, "admin", !r.completed()));
        f.pair.central().faults().rejectedUids().add(r.dataSet());
        try {
            f.pair.central().requests().clear();
            JobRun run = f.runJob();
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.FAILED);
            assertThat(run.summary()).contains(
                    "1 complete data set registration rejected by central (conflicts recorded)")
                    .doesNotContain("did not arrive");
            assertThat(f.posts("/api/completeDataSetRegistrations")).hasSize(1);

            f.pair.central().requests().clear();
            JobRun again = f.runJob();
            assertThat(again.status()).as(again.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(f.posts("/api/completeDataSetRegistrations")).isEmpty();
        } finally {
            f.pair.central().faults().rejectedUids().clear();
        }
    }

    @Test
    @Order(8)
    @org.dhis2.sync.sandbox.Contract("AGG-15")
    void registrationDeletedOnLocalIsDeletedOnCentralOnce() throws Exception {
        DataSyncFixture f = fixture();
        AggregateStore local = f.pair.local().aggregate();
        AggregateStore.Registration r = local.registrations().get(2);
        assertThat(f.pair.central().aggregate().getRegistration(r.dataSet(), r.period(), r.organisationUnit(),
                r.attributeOptionCombo())).as("central had it").isPresent();
        // DHIS2 deletes a registration for good (DELETE /api/completeDataSetRegistrations): it leaves the export
        local.removeRegistration(r.dataSet(), r.period(), r.organisationUnit(), r.attributeOptionCombo());
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.pair.central().aggregate().getRegistration(r.dataSet(), r.period(), r.organisationUnit(),
                r.attributeOptionCombo())).as("deleted on central").isEmpty();
        assertThat(f.posts("/api/completeDataSetRegistrations")).singleElement()
                .satisfies(e -> assertThat(e.query()).contains("importStrategy=DELETE"));
        // (the registration central rejected in order 7 still differs; the sets hold the same keys)
        assertThat(f.pair.central().aggregate().registrationCount()).isEqualTo(local.registrationCount());

        f.pair.central().requests().clear();
        JobRun again = f.runJob();
        assertThat(again.status()).as(again.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.posts("/api/completeDataSetRegistrations")).as("the deletion is not sent twice").isEmpty();
    }

    @Test
    @Order(6)
    void localClockAheadOrBehindLosesNothing() throws Exception {
        DataSyncFixture f = fixture();
        for (Duration offset : List.of(Duration.ofMinutes(10), Duration.ofMinutes(-10))) {
            f.pair.local().clock().setOffset(offset);
            AggregateStore.DataValue v = f.pair.local().aggregate().values().stream()
                    .filter(x -> !x.deleted() && x.value().matches("\\d+")).skip(20).findFirst().orElseThrow();
            f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), String.valueOf(Integer.parseInt(v.value()) + 5));
            f.pair.central().requests().clear();
            JobRun run = f.runJob();
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(f.postedValueKeys()).as("offset %s: %s", offset, run.progress().processes().get(0)
                    .getStages().get(0).getSummary()).contains(DataSyncFixture.key(v));
            // a change right after the run is found by the next one
            f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), "7");
            f.runJob();
            f.assertCentralEqualsLocal();
        }
        f.pair.local().clock().setOffset(Duration.ZERO);
    }
}
