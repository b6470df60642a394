package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Import and export semantics of /api/dataValueSets and /api/completeDataSetRegistrations over real HTTP. */
class AggregateBehaviourTest {

    private static final String DEFAULT = MetadataGenerator.DEFAULT_COC;

    private Dhis2Instance instance;
    private SandboxServer server;
    private AggregateHttp http;
    private String numericDe;
    private String textDe;
    private String dataSet;
    private String root;
    private List<String> facilities;

    @BeforeEach
    void start() throws IOException {
        instance = new Dhis2Instance("central", Dhis2Version.of(40));
        MetadataGenerator.generate(instance, GeneratorSpec.small());
        server = SandboxServer.start(instance);
        http = new AggregateHttp(server);
        numericDe = instance.catalog().list("dataElements").stream()
                .filter(d -> "NUMBER".equals(d.path("valueType").asText())
                        && d.path("categoryCombo").path("id").asText().equals(MetadataGenerator.DEFAULT_CATEGORY_COMBO)
                        || "INTEGER".equals(d.path("valueType").asText()))
                .findFirst().orElseThrow().path("id").asText();
        textDe = instance.catalog().list("dataElements").stream()
                .filter(d -> "TEXT".equals(d.path("valueType").asText())).findFirst().orElseThrow().path("id").asText();
        dataSet = instance.catalog().list("dataSets").get(0).path("id").asText();
        root = instance.userOrgUnits().get(0);
        facilities = instance.catalog().list("organisationUnits").stream()
                .filter(o -> o.path("level").asInt() == 3).map(o -> o.path("id").asText()).toList();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String coc(String de) {
        String combo = instance.catalog().get("dataElements", de).orElseThrow().path("categoryCombo").path("id").asText();
        return instance.catalog().get("categoryCombos", combo).orElseThrow().path("categoryOptionCombos").get(0)
                .path("id").asText();
    }

    private String value(String de, String period, String ou, String value) {
        return "{\"dataElement\":\"" + de + "\",\"period\":\"" + period + "\",\"orgUnit\":\"" + ou
                + "\",\"categoryOptionCombo\":\"" + coc(de) + "\",\"value\":" + (value == null ? "null" : "\"" + value + "\"") + "}";
    }

    private static String set(String... values) {
        return "{\"dataValues\":[" + String.join(",", values) + "]}";
    }

    private String exportQuery() {
        return "/api/dataValueSets?dataElement=" + numericDe + "&dataElement=" + textDe + "&startDate=2000-01-01&endDate=2100-01-01&orgUnit="
                + root + "&children=true";
    }

    @Test
    @Contract("AGG-8")
    void valueConflictsAreDeduplicatedWithIndexesAndTheRestIsImported() {
        String ou = facilities.get(0);
        var answer = http.post("/api/dataValueSets", set(value(numericDe, "202401", ou, "abc"),
                value(numericDe, "202402", ou, "7"), value(numericDe, "202403", ou, "x1"),
                value(numericDe, "202404", ou, "1").replace(numericDe, "NoSuchDe001")));
        assertThat(answer.status()).isEqualTo(409);
        JsonNode summary = answer.json().path("response");
        assertThat(summary.path("status").asText()).isEqualTo("WARNING");
        assertThat(summary.path("importCount").path("imported").asInt()).isEqualTo(1);
        assertThat(summary.path("importCount").path("ignored").asInt()).isEqualTo(3);
        assertThat(summary.path("conflicts")).hasSize(2);
        assertThat(summary.path("conflicts").get(0).path("indexes").toString()).isEqualTo("[0,2]");
        assertThat(summary.path("conflicts").get(1).path("errorCode").asText()).isEqualTo("E7610");
        assertThat(summary.path("conflicts").get(1).path("value").asText())
                .isEqualTo("Data element not found or not accessible: `NoSuchDe001`");
        assertThat(summary.path("rejectedIndexes").toString()).isEqualTo("[0,2,3]");
        assertThat(instance.aggregate().count()).isEqualTo(1);
    }

    @Test
    @Contract("AGG-7")
    void warningIs200BeforeAndFrom243ButTheVersionsWeEmulateAnswer409() throws IOException {
        for (int minor : new int[] {39, 40, 41, 42}) {
            instance.setVersion(Dhis2Version.of(minor));
            assertThat(http.post("/api/dataValueSets", set(value(numericDe, "202401", facilities.get(0), "bad")))
                    .status()).as("2." + minor).isEqualTo(409);
            assertThat(http.post("/api/dataValueSets", set(value(numericDe, "202401", facilities.get(0), "1")))
                    .status()).as("2." + minor).isEqualTo(200);
        }
    }

    @Test
    @Contract({"AGG-1", "AGG-3", "AGG-4"})
    void reimportingTheSameValueIsUpdatedUpTo240AndIgnoredFrom241() {
        String body = set(value(numericDe, "202401", facilities.get(0), "5"));
        assertThat(http.post("/api/dataValueSets", body).json().path("response").path("importCount")
                .path("imported").asInt()).isEqualTo(1);
        Instant first = instance.aggregate().values().get(0).lastUpdated();
        assertThat(first.getNano()).as("stored to the whole second").isZero();
        JsonNode again = http.post("/api/dataValueSets", body).json().path("response").path("importCount");
        assertThat(again.path("updated").asInt()).isEqualTo(1);
        assertThat(instance.aggregate().values().get(0).lastUpdated()).isAfterOrEqualTo(first);
        instance.setVersion(Dhis2Version.of(41));
        Instant second = instance.aggregate().values().get(0).lastUpdated();
        JsonNode unchanged = http.post("/api/dataValueSets", body).json().path("response").path("importCount");
        assertThat(unchanged.path("ignored").asInt()).isEqualTo(1);
        assertThat(unchanged.path("updated").asInt()).isZero();
        assertThat(instance.aggregate().values().get(0).lastUpdated()).isEqualTo(second);
    }

    @Test
    @Contract("AGG-5")
    void deletingAValueCentralNeverHadStoresADeletedMarkerCountedAsImported() {
        String ou = facilities.get(0);
        JsonNode counts = http.post("/api/dataValueSets", set(value(numericDe, "202405", ou, "8")
                .replace("}", ",\"deleted\":true}"))).json().path("response").path("importCount");
        assertThat(counts.path("imported").asInt()).isEqualTo(1);
        assertThat(counts.path("ignored").asInt()).isZero();
        assertThat(http.get(exportQuery()).json().path("dataValues")).isEmpty();
        JsonNode withDeleted = http.get(exportQuery() + "&includeDeleted=true").json().path("dataValues");
        assertThat(withDeleted).hasSize(1);
        assertThat(withDeleted.get(0).path("deleted").asBoolean()).isTrue();
        assertThat(withDeleted.get(0).path("value").asText()).isEqualTo("8");
    }

    @Test
    @Contract({"AGG-1", "AGG-2"})
    void anImportBecomesVisibleOnlyWhenItCommitsWithTheTimeItTookBefore() throws Exception {
        instance.aggregate().setCommitDelay(java.time.Duration.ofMillis(400));
        long before = instance.clock().millis();
        Thread writer = new Thread(() -> http.post("/api/dataValueSets",
                set(value(numericDe, "202406", facilities.get(0), "3"))));
        writer.start();
        Thread.sleep(150);
        assertThat(instance.aggregate().values()).as("not committed yet").isEmpty();
        writer.join(5_000);
        long visible = instance.clock().millis();
        AggregateStore.DataValue v = instance.aggregate().values().get(0);
        assertThat(v.lastUpdated().getNano()).isZero();
        // the sandbox clock's ticks may run a few milliseconds ahead of its wall time: 100 ms of slack
        assertThat(v.lastUpdated().toEpochMilli()).as("the time taken before the import, to the second")
                .isLessThanOrEqualTo(visible - 300).isGreaterThan(before - 1000);
    }

    @Test
    @Contract({"AGG-9", "AGG-10"})
    void expiredPeriodConflictsHaveIndexesFrom237AndAreObjectValuePairsBefore() {
        String ou = facilities.get(0);
        String expiredDs = new AggregateMetadata(instance).approvalDataSet(numericDe);
        instance.aggregate().expirePeriod(expiredDs, "202401");
        String body = set(value(numericDe, "202401", ou, "1"), value(numericDe, "202401", facilities.get(1), "2"),
                value(numericDe, "202402", ou, "3"));
        JsonNode current = http.post("/api/dataValueSets", body).json().path("response");
        assertThat(current.path("importCount").path("ignored").asInt()).isEqualTo(2);
        JsonNode c = current.path("conflicts").get(0);
        assertThat(c.path("errorCode").asText()).isEqualTo("E7640");
        assertThat(c.path("object").asText()).isEqualTo("202401");
        assertThat(c.path("value").asText()).contains(expiredDs);
        assertThat(c.path("indexes").toString()).isEqualTo("[0,1]");

        instance.setVersion(Dhis2Version.of(36));
        var legacy = http.post("/api/dataValueSets", body);
        assertThat(legacy.status()).as("plain summary, 200").isEqualTo(200);
        JsonNode summary = legacy.json();
        assertThat(summary.path("status").asText()).isEqualTo("WARNING");
        assertThat(summary.path("importCount").path("ignored").asInt()).isEqualTo(2);
        assertThat(summary.path("conflicts")).as("one conflict per (object, value)").hasSize(1);
        JsonNode old = summary.path("conflicts").get(0);
        assertThat(old.path("object").asText()).isEqualTo("202401");
        assertThat(old.path("value").asText())
                .isEqualTo("Current date is past expiry days for period 202401 and data set: " + expiredDs);
        assertThat(old.has("indexes")).isFalse();
        assertThat(old.has("errorCode")).isFalse();
        assertThat(summary.has("rejectedIndexes")).isFalse();
    }

    @Test
    @Contract("AGG-6")
    void emptyValueOrDeletedFlagSoftDeletesAndExportShowsItOnlyWithIncludeDeleted() {
        String ou = facilities.get(0);
        http.post("/api/dataValueSets", set(value(numericDe, "202401", ou, "5"), value(numericDe, "202402", ou, "6")));
        JsonNode counts = http.post("/api/dataValueSets", set(value(numericDe, "202401", ou, null),
                value(numericDe, "202402", ou, "6").replace("}", ",\"deleted\":true}"),
                value(numericDe, "202403", ou, null))).json().path("response").path("importCount");
        assertThat(counts.path("deleted").asInt()).isEqualTo(2);
        assertThat(counts.path("ignored").asInt()).isEqualTo(1); // nothing to delete
        assertThat(http.get(exportQuery()).json().path("dataValues")).isEmpty();
        JsonNode withDeleted = http.get(exportQuery() + "&includeDeleted=true").json().path("dataValues");
        assertThat(withDeleted).hasSize(2);
        assertThat(withDeleted.get(0).path("deleted").asBoolean()).isTrue();
        assertThat(withDeleted.get(0).path("value").asText()).isEqualTo("5");
    }

    @Test
    @Contract("AGG-11")
    void lastUpdatedFilterIsInclusiveToTheMillisecond() {
        var changed = instance.aggregate().setValue(numericDe, "202401", facilities.get(0), coc(numericDe), DEFAULT, "9");
        String at = AggregateTimestamps.format(changed.lastUpdated().toEpochMilli());
        String later = AggregateTimestamps.format(changed.lastUpdated().toEpochMilli() + 1);
        String base = "/api/dataValueSets?dataSet=" + dataSet + "&dataElement=" + numericDe + "&orgUnit=" + root
                + "&children=true&lastUpdated=";
        JsonNode found = http.get(base + java.net.URLEncoder.encode(at, java.nio.charset.StandardCharsets.UTF_8))
                .json().path("dataValues");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("lastUpdated").asText()).isEqualTo(at);
        assertThat(http.get(base + java.net.URLEncoder.encode(later, java.nio.charset.StandardCharsets.UTF_8))
                .json().path("dataValues")).isEmpty();
    }

    @Test
    void exportWritesNullsAndFormatsTimestampsAsDhis2() {
        instance.aggregate().setValue(textDe, "202401", facilities.get(0), DEFAULT, DEFAULT, "hello");
        JsonNode v = http.get(exportQuery()).json().path("dataValues").get(0);
        assertThat(v.has("comment")).isTrue();
        assertThat(v.get("comment").isNull()).isTrue();
        assertThat(v.has("deleted")).isFalse();
        assertThat(v.path("created").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000");
        assertThat(v.path("storedBy").asText()).isEqualTo("admin");
    }

    @Test
    @Contract("AGG-12")
    void gzipRequestBodyIsSniffedAndCompressedExportIsAnAttachment() {
        var answer = http.postGzip("/api/dataValueSets", set(value(numericDe, "202401", facilities.get(0), "3")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(instance.aggregate().count()).isEqualTo(1);
        var export = http.get(exportQuery() + "&compression=gzip");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/json");
        assertThat(export.header("Content-Encoding")).isNull();
        assertThat(export.header("Content-Disposition")).startsWith("attachment");
        assertThat(export.raw()[0] & 0xff).isEqualTo(0x1f);
        assertThat(AggregateHttp.gunzipJson(export.raw()).path("dataValues").get(0).path("value").asText())
                .isEqualTo("3");
    }

    @Test
    void rejectedUidsProduceConflictsForExactlyThoseValues() {
        instance.faults().rejectedUids().add(facilities.get(1));
        var answer = http.post("/api/dataValueSets", set(value(numericDe, "202401", facilities.get(0), "1"),
                value(numericDe, "202401", facilities.get(1), "2"), value(numericDe, "202401", facilities.get(2), "3"),
                value(numericDe, "202402", facilities.get(1), "4")));
        JsonNode summary = answer.json().path("response");
        assertThat(summary.path("importCount").path("imported").asInt()).isEqualTo(2);
        assertThat(summary.path("conflicts")).hasSize(1);
        assertThat(summary.path("conflicts").get(0).path("object").asText()).isEqualTo(facilities.get(1));
        assertThat(summary.path("conflicts").get(0).path("errorCode").asText()).isEqualTo("E7612");
        assertThat(summary.path("rejectedIndexes").toString()).isEqualTo("[1,3]");
    }

    @Test
    void unknownCategoryOptionComboAndBadPeriodAreConflicts() {
        String ou = facilities.get(0);
        String badCoc = value(numericDe, "202401", ou, "1").replace(coc(numericDe), "NoSuchCoc01");
        JsonNode summary = http.post("/api/dataValueSets", set(badCoc, value(numericDe, "2024-13", ou, "1")))
                .json().path("response");
        assertThat(summary.path("conflicts").get(0).path("errorCode").asText()).isEqualTo("E7613");
        assertThat(summary.path("conflicts").get(1).path("errorCode").asText()).isEqualTo("E7611");
    }

    @Test
    void dryRunAndStrategiesChangeNothingTheyShouldNot() {
        String body = set(value(numericDe, "202401", facilities.get(0), "1"));
        assertThat(http.post("/api/dataValueSets?dryRun=true", body).json().path("response").path("importCount")
                .path("imported").asInt()).isEqualTo(1);
        assertThat(instance.aggregate().size()).isZero();
        assertThat(http.post("/api/dataValueSets?importStrategy=UPDATE", body).json().path("response")
                .path("importCount").path("ignored").asInt()).isEqualTo(1);
        http.post("/api/dataValueSets", body);
        assertThat(http.post("/api/dataValueSets?importStrategy=CREATE", body).json().path("response")
                .path("importCount").path("ignored").asInt()).isEqualTo(1);
        assertThat(http.post("/api/dataValueSets?importStrategy=BOGUS", body).status()).isEqualTo(400);
    }

    @Test
    void setLevelCompleteDateRegistersTheDataSet() {
        String ou = facilities.get(0);
        String body = "{\"dataSet\":\"" + dataSet + "\",\"period\":\"202401\",\"orgUnit\":\"" + ou
                + "\",\"completeDate\":\"2024-02-03\",\"dataValues\":[" + value(numericDe, "202401", ou, "1") + "]}";
        JsonNode summary = http.post("/api/dataValueSets", body).json().path("response");
        assertThat(summary.path("dataSetComplete").asText()).isEqualTo("2024-02-03");
        assertThat(instance.aggregate().getRegistration(dataSet, "202401", ou, DEFAULT)).isPresent();
    }

    @Test
    void exportRejectsMissingParametersAndForeignOrgUnitsWith409() {
        var noSet = http.get("/api/dataValueSets?period=202401&orgUnit=" + root);
        assertThat(noSet.status()).isEqualTo(409);
        assertThat(noSet.json().path("errorCode").asText()).isEqualTo("E2001");
        var noTime = http.get("/api/dataValueSets?dataSet=" + dataSet + "&orgUnit=" + root);
        assertThat(noTime.json().path("errorCode").asText()).isEqualTo("E2002");
        var noUnit = http.get("/api/dataValueSets?dataSet=" + dataSet + "&period=202401");
        assertThat(noUnit.status()).isEqualTo(409);
        assertThat(noUnit.json().path("errorCode").asText()).isEqualTo("E2006");
        instance.userOrgUnits().clear();
        instance.userOrgUnits().add(facilities.get(0));
        var foreign = http.get("/api/dataValueSets?dataSet=" + dataSet + "&period=202401&orgUnit=" + facilities.get(1));
        assertThat(foreign.status()).isEqualTo(409);
        assertThat(foreign.json().path("message").asText())
                .isEqualTo("User is not allowed to view org unit: `" + facilities.get(1) + "`");
    }

    @Test
    @Contract("AGG-13")
    void limitAndPeriodSelectionRestrictTheExport() {
        for (String ou : facilities) {
            instance.aggregate().setValue(numericDe, "202401", ou, coc(numericDe), DEFAULT, "1");
            instance.aggregate().setValue(numericDe, "202402", ou, coc(numericDe), DEFAULT, "2");
        }
        assertThat(http.get(exportQuery() + "&limit=3").json().path("dataValues")).hasSize(3);
        String periodQuery = "/api/dataValueSets?dataElement=" + numericDe + "&period=202402&orgUnit=" + root
                + "&children=true";
        JsonNode values = http.get(periodQuery).json().path("dataValues");
        assertThat(values).hasSize(facilities.size());
        values.forEach(v -> assertThat(v.path("period").asText()).isEqualTo("202402"));
        assertThat(http.get("/api/dataValueSets?dataElement=" + numericDe + "&period=202402&orgUnit=" + root)
                .json().path("dataValues")).isEmpty(); // the root itself holds no values without children=true
    }

    @Test
    @Contract("AGG-14")
    void completeRegistrationsExportEmptyAsBracesAndRoundTrip() {
        String query = "/api/completeDataSetRegistrations?dataSet=" + dataSet + "&period=202401&orgUnit=" + root
                + "&children=true";
        var empty = http.get(query);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(new String(empty.raw())).isEqualTo("{}");
        String ou = facilities.get(0);
        String body = "{\"completeDataSetRegistrations\":[{\"dataSet\":\"" + dataSet + "\",\"period\":\"202401\","
                + "\"organisationUnit\":\"" + ou + "\",\"attributeOptionCombo\":\"" + DEFAULT + "\",\"completed\":true},"
                + "{\"dataSet\":\"NoSuchSet01\",\"period\":\"202401\",\"organisationUnit\":\"" + ou + "\"}]}";
        var imported = http.post("/api/completeDataSetRegistrations", body);
        assertThat(imported.status()).isEqualTo(409);
        assertThat(imported.json().path("response").path("importCount").path("imported").asInt()).isEqualTo(1);
        assertThat(imported.json().path("response").path("conflicts").get(0).path("object").asText())
                .isEqualTo("NoSuchSet01");
        JsonNode regs = http.get(query).json().path("completeDataSetRegistrations");
        assertThat(regs).hasSize(1);
        assertThat(regs.get(0).path("completed").asBoolean()).isTrue();
        assertThat(regs.get(0).path("organisationUnit").asText()).isEqualTo(ou);

        var uncomplete = http.post("/api/completeDataSetRegistrations", body.replace("\"completed\":true",
                "\"completed\":false").replaceAll(",\\{\"dataSet\":\"NoSuchSet01.*\\}\\]", "]"));
        assertThat(uncomplete.status()).isEqualTo(200);
        assertThat(uncomplete.json().path("response").path("importCount").path("updated").asInt()).isEqualTo(1);
        assertThat(http.get(query).json().path("completeDataSetRegistrations").get(0).path("completed").asBoolean())
                .isFalse();
        assertThat(http.get("/api/completeDataSetRegistrations?period=202401&orgUnit=" + root).status())
                .isEqualTo(409);
    }

    @Test
    void concurrentImportsAreAllStored() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String period = String.format("2023%02d", t + 1);
                results.add(pool.submit(() -> {
                    List<String> values = new ArrayList<>();
                    for (String ou : facilities) {
                        values.add(value(numericDe, period, ou, "1"));
                        values.add(value(textDe, period, ou, "t"));
                    }
                    return http.post("/api/dataValueSets", set(values.toArray(String[]::new))).status();
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(instance.aggregate().count()).isEqualTo(8 * 2 * facilities.size());
    }
}
