package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.engine.GzipProxy;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * central.compression: every POST to central's /api/dataValueSets and /api/completeDataSetRegistrations carries a
 * gzip body (magic bytes 1F 8B, what DHIS2's StreamUtils sniffs), and central, reading it as DHIS2 does, ends up
 * with exactly local's values and registrations. Central sits behind a proxy that gzips JSON answers like nginx:
 * every engine call to central asks for gzip (Accept-Encoding) and the compressed answers (import summaries, with
 * conflicts too) are decoded and judged. With compression off the bodies are plain JSON.
 */
class CompressedAggregateTest {

    @Test
    void everyAggregatePostIsGzippedAndCentralReadsTheSameValues(@TempDir Path temp) throws Exception {
        GzipProxy[] proxy = new GzipProxy[1];
        try (DataSyncFixture f = DataSyncFixture.start(temp, 41, 39, GeneratorSpec.small(), pair -> {
            try {
                proxy[0] = GzipProxy.inFrontOf(pair.centralServer().url());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("central.url", proxy[0].url());
        })) {
            JobRun run = f.runJob();
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            List<RequestLog.Entry> values = f.posts("/api/dataValueSets");
            List<RequestLog.Entry> registrations = f.posts("/api/completeDataSetRegistrations");
            assertThat(values).isNotEmpty().allSatisfy(e -> assertThat(e.gzipped()).as("gzip magic").isTrue());
            assertThat(registrations).isNotEmpty().allSatisfy(e -> assertThat(e.gzipped()).isTrue());
            // the decoded pages hold every local value once, and central stored exactly them
            assertThat(f.postedValueKeys()).hasSize(f.pair.local().aggregate().values().size())
                    .doesNotHaveDuplicates();
            f.assertCentralEqualsLocal();
            f.assertCentralRegistrationsEqualLocal();

            // a rejected value: the gzipped 409 WARNING answer is decoded and the value judged on its own
            AggregateStore.DataValue v = f.pair.local().aggregate().values().stream()
                    .filter(x -> !x.deleted() && x.value().matches("\\d+")).findFirst().orElseThrow();
            f.pair.central().faults().rejectedUids().add(v.orgUnit());
            f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                    v.attributeOptionCombo(), "4242");
            JobRun rejected = f.runJob();
            assertThat(rejected.summary()).contains("1 data value rejected by central (conflicts recorded)");

            List<GzipProxy.Seen> seen = proxy[0].seen();
            assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s.acceptEncoding()).as("%s %s",
                    s.method(), s.path()).contains("gzip"));
            assertThat(seen).filteredOn(s -> s.path().endsWith("/api/dataValueSets"))
                    .isNotEmpty().allSatisfy(s -> assertThat(s.answerGzipped()).isTrue());
            assertThat(seen).filteredOn(s -> s.path().endsWith("/api/completeDataSetRegistrations"))
                    .isNotEmpty().allSatisfy(s -> assertThat(s.answerGzipped()).isTrue());
        } finally {
            if (proxy[0] != null) {
                proxy[0].close();
            }
        }
    }

    @Test
    void compressionOffSendsPlainJson(@TempDir Path temp) throws Exception {
        try (DataSyncFixture f = DataSyncFixture.start(temp, 42, 40, GeneratorSpec.small(),
                Map.of("central.compression", "false"))) {
            JobRun run = f.runJob();
            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            for (String path : List.of("/api/dataValueSets", "/api/completeDataSetRegistrations")) {
                assertThat(f.posts(path)).as(path).isNotEmpty().allSatisfy(e -> {
                    assertThat(e.gzipped()).isFalse();
                    assertThat(new String(e.body(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("{");
                });
            }
            f.assertCentralEqualsLocal();
            f.assertCentralRegistrationsEqualLocal();
        }
    }
}
