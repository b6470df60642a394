package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 #6: values written on local while DATA_SYNC pages are not lost. The local sandbox stores a data value's
 * {@code lastUpdated} to the whole second and makes an import visible only some time after it took its timestamp,
 * as DHIS2 does; a writer posts values to local's /api/dataValueSets all through several runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataSyncConcurrentWritesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path temp;
    static DataSyncFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = DataSyncFixture.start(temp, 41, 40, GeneratorSpec.small(), Map.of("sync.window.overlapSeconds", "300"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @Order(1)
    void everyValueWrittenWhileRunsPageArrivesAtCentral() throws Exception {
        JobRun first = f.runJob();
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);
        f.pair.local().aggregate().setCommitDelay(Duration.ofMillis(700));
        List<AggregateStore.DataValue> live = f.pair.local().aggregate().values().stream()
                .filter(v -> !v.deleted() && v.value().matches("\\d+")).toList();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger failedWrites = new AtomicInteger();
        // each import holds its answer until it commits, so several writers keep changes coming all the time
        List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int writerNo = w;
            Thread writer = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    AggregateStore.DataValue v = live.get((writerNo + 6 * i * 7) % live.size());
                    String body = "{\"dataValues\":[{\"dataElement\":\"" + v.dataElement() + "\",\"period\":\""
                            + v.period() + "\",\"orgUnit\":\"" + v.orgUnit() + "\",\"categoryOptionCombo\":\""
                            + v.categoryOptionCombo() + "\",\"attributeOptionCombo\":\"" + v.attributeOptionCombo()
                            + "\",\"value\":\"" + (100_000 + writerNo * 10_000 + i) + "\"}]}";
                    if (post(body) == 200) {
                        written.incrementAndGet();
                    } else {
                        failedWrites.incrementAndGet();
                    }
                    i++;
                    sleep(40 + writerNo * 13);
                }
            }, "local-writer-" + w);
            writers.add(writer);
            writer.start();
        }
        try {
            // at least six runs, and as many more as a slow machine needs for the writers to write enough
            for (int run = 0; run < 30 && (run < 6 || written.get() <= 20); run++) {
                f.runJob();
                sleep(300);
            }
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(10_000);
            }
        }
        f.pair.local().aggregate().setCommitDelay(Duration.ZERO);
        JobRun last = f.runJob();

        assertThat(failedWrites.get()).isZero();
        assertThat(written.get()).as("writes during the runs").isGreaterThan(20);
        assertThat(last.status()).as(last.summary()).isEqualTo(JobRun.Status.SUCCESS);
        f.assertCentralEqualsLocal();
    }

    @Test
    @Order(2)
    void aRunWithNothingChangedSendsNothingDespiteTheOverlap() throws Exception {
        f.pair.central().requests().clear();
        JobRun run = f.runJob();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(f.posts("/api/dataValueSets")).isEmpty();
        assertThat(f.posts("/api/completeDataSetRegistrations")).isEmpty();
        // the window did reach back: what it read again was found unchanged in the memory, which holds nothing
        // older than the next window's start
        assertThat(run.progress().processes().get(0).getStages().get(1).getSummary())
                .contains("read again in the window overlap, unchanged, not re-sent");
        assertThat(f.query("select count(*) as n from window_overlap_memory m join stage_watermark w"
                + " on w.stage = m.stage where m.stage = 'dataValues'"
                + " and m.last_updated < w.server_time_high - interval '300 seconds'").get(0).get("n")).isEqualTo(0L);
    }

    private static int post(String body) {
        String auth = Base64.getEncoder().encodeToString("admin:district".getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create(f.pair.localServer().url() + "/api/dataValueSets"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + auth)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
