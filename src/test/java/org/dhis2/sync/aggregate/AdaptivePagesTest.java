package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive pages (issue 15): a page central's proxy refuses as too large (413) or that times out at the gateway
 * (504, after central imported it) is sent again in halves; every value arrives exactly once, the size that worked
 * is stored per central and stage and the next run starts with it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdaptivePagesTest {

    /** A proxy body limit below a 200-value page (~36 kB) and a 100-value one, above a 50-value page (~9 kB). */
    static final int BODY_LIMIT = 12_000;

    @TempDir
    static Path temp;
    static DataSyncFixture f;

    @BeforeAll
    static void start() throws Exception {
        // plain JSON: a gzipped page of 200 values is far below the limit (the split is what is tested here)
        f = DataSyncFixture.start(temp, 41, 41, GeneratorSpec.small(), Map.of("sync.dataValues.pageSize", "200",
                "sync.adaptive.minPageSize", "20", "central.compression", "false"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clearFaults() {
        f.pair.central().faults().clear();
    }

    @Test
    @Order(1)
    void aBodyLimitBelowAPageSplitsItAndEveryValueArrivesOnce() throws Exception {
        f.pair.central().faults().on("POST", "/api/dataValueSets").fail(Fault.bodyLimit(BODY_LIMIT));
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        List<RequestLog.Entry> posts = f.posts("/api/dataValueSets");
        List<RequestLog.Entry> refused = posts.stream().filter(p -> p.status() == 413).toList();
        assertThat(refused).as("the first page of 200 and a half of 100 were refused").hasSizeGreaterThanOrEqualTo(2);
        assertThat(refused.get(0).bodyText().length()).isGreaterThan(BODY_LIMIT);
        // imported = answered 200: every live local value exactly once, nothing else
        Map<String, Integer> imports = importsPerKey(posts.stream().filter(p -> p.status() == 200).toList());
        assertThat(imports.values()).as("no value imported twice").allMatch(n -> n == 1);
        Set<String> local = new HashSet<>();
        f.pair.local().aggregate().forEach(v -> local.add(DataSyncFixture.key(v)));
        assertThat(imports.keySet()).isEqualTo(local);
        f.assertCentralEqualsLocal();
        assertThat(run.progress().processes().get(0).getSummary()).contains("split in halves: too large for central");
        int learned = learnedPageSize();
        assertThat(learned).as("the size that worked is stored").isBetween(20, 100);

        // the next run starts with the learned size: more than one page of changes, no page refused
        int changed = 0;
        for (AggregateStore.DataValue v : f.pair.local().aggregate().values()) {
            if (!v.deleted() && changed < 3 * learned) {
                f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(),
                        v.categoryOptionCombo(), v.attributeOptionCombo(), v.value());
                changed++;
            }
        }
        f.pair.central().requests().clear();

        JobRun next = f.runJob();

        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        List<RequestLog.Entry> nextPosts = f.posts("/api/dataValueSets");
        assertThat(valuesIn(nextPosts.get(0))).as("first page of the next run").isEqualTo(learned);
        for (RequestLog.Entry refusedNext : nextPosts.stream().filter(p -> p.status() == 413).toList()) {
            // after sync.adaptive.growAfter pages the size doubles back and finds the limit again
            assertThat(valuesIn(refusedNext)).as("refused only after growing back").isGreaterThan(learned);
        }
        assertThat(importsPerKey(nextPosts.stream().filter(p -> p.status() == 200).toList()).values())
                .allMatch(n -> n == 1);
        f.assertCentralEqualsLocal();
    }

    @Test
    @Order(2)
    void aGatewayTimeoutAfterCentralImportedResendsTheHalvesWithoutDuplicates() throws Exception {
        forgetLearnedSize();
        int changed = 0;
        for (AggregateStore.DataValue v : f.pair.local().aggregate().values()) {
            if (!v.deleted() && changed < 80) {
                f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(),
                        v.categoryOptionCombo(), v.attributeOptionCombo(), v.value());
                changed++;
            }
        }
        int centralBefore = f.pair.central().aggregate().count();
        // the first page's three attempts (metadata.sync.retry=3) are imported, then the gateway answers 504
        f.pair.central().faults().on("POST", "/api/dataValueSets").requests(1, 2, 3)
                .fail(Fault.statusAfterHandling(504));
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        List<RequestLog.Entry> posts = f.posts("/api/dataValueSets");
        assertThat(posts.subList(0, 3)).allMatch(p -> p.status() == 504);
        assertThat(valuesIn(posts.get(0))).isEqualTo(80);
        assertThat(posts.subList(3, posts.size())).as("the halves").hasSize(2).allMatch(p -> p.status() == 200);
        assertThat(valuesIn(posts.get(3)) + valuesIn(posts.get(4))).isEqualTo(80);
        assertThat(f.pair.central().aggregate().count()).as("re-sent values updated in place, none duplicated")
                .isEqualTo(centralBefore);
        f.assertCentralEqualsLocal();
        assertThat(learnedPageSize()).as("half the page that timed out").isEqualTo(40);
    }

    @Test
    @Order(3)
    void aPageAtTheFloorIsNotSplitAndDoesNotArrive() throws Exception {
        f.pair.central().faults().on("POST", "/api/dataValueSets").fail(Fault.bodyLimit(100));
        AggregateStore.DataValue v = f.pair.local().aggregate().values().stream().filter(x -> !x.deleted())
                .findFirst().orElseThrow();
        f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(), v.categoryOptionCombo(),
                v.attributeOptionCombo(), v.value());
        f.pair.central().requests().clear();

        JobRun run = f.runJob();

        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("1 data value did not arrive (sent again next run)").contains("413");
        assertThat(f.posts("/api/dataValueSets")).as("a 413 is never retried as it is").hasSize(1);
    }

    @Test
    @Order(4)
    void behindANginxBodyLimitSmallerThanAPageEveryValueArrivesOnce() throws Exception {
        forgetLearnedSize();
        int changed = 0;
        for (AggregateStore.DataValue v : f.pair.local().aggregate().values()) {
            if (!v.deleted() && changed < 200) {
                f.pair.local().aggregate().setValue(v.dataElement(), v.period(), v.orgUnit(),
                        v.categoryOptionCombo(), v.attributeOptionCombo(), v.value());
                changed++;
            }
        }
        // the sandbox's emulated nginx in front of central: a 413 page of its own, the instance never sees the body
        f.pair.central().setLink(org.dhis2.sync.sandbox.Link.preset("lan").withBodyLimit(BODY_LIMIT));
        f.pair.central().requests().clear();
        f.pair.central().resetLinkTraffic();
        try {
            JobRun run = f.runJob();

            assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            List<RequestLog.Entry> posts = f.posts("/api/dataValueSets");
            assertThat(posts).as("only bodies under the limit reach central").allMatch(p -> p.status() == 200)
                    .hasSizeGreaterThan(1);
            long refusedByProxy = f.pair.central().linkTraffic().requests() - f.pair.central().requests().all().size();
            assertThat(refusedByProxy).as("pages the proxy answered 413").isPositive();
            Map<String, Integer> imports = importsPerKey(posts);
            assertThat(imports).hasSize(changed);
            assertThat(imports.values()).as("no value sent twice").allMatch(n -> n == 1);
            f.assertCentralEqualsLocal();
            assertThat(learnedPageSize()).isBetween(20, 100);
        } finally {
            f.pair.central().setLink(org.dhis2.sync.sandbox.Link.preset("lan"));
        }
    }

    private static Map<String, Integer> importsPerKey(List<RequestLog.Entry> posts) throws Exception {
        Map<String, Integer> imports = new HashMap<>();
        for (RequestLog.Entry e : posts) {
            for (JsonNode v : DataSyncFixture.JSON.readTree(e.bodyText()).path("dataValues")) {
                imports.merge(DataSyncFixture.key(v.path("dataElement").asText(), v.path("period").asText(),
                        v.path("orgUnit").asText(), v.path("categoryOptionCombo").asText(),
                        v.path("attributeOptionCombo").asText()), 1, Integer::sum);
            }
        }
        return imports;
    }

    private static int valuesIn(RequestLog.Entry post) throws Exception {
        return DataSyncFixture.JSON.readTree(post.bodyText()).path("dataValues").size();
    }

    private static int learnedPageSize() throws Exception {
        List<Map<String, Object>> rows = f.query("select page_size from adaptive_page_size where stage = "
                + "'dataValues' and central_url = '" + f.pair.centralServer().url() + "'");
        return rows.isEmpty() ? 0 : (Integer) rows.get(0).get("page_size");
    }

    private static void forgetLearnedSize() throws Exception {
        try (var c = f.engine.database().dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("delete from adaptive_page_size");
        }
    }
}
