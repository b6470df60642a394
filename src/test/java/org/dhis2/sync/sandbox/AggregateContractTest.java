package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox's aggregate answers have the JSON structure of real DHIS2 payloads (fixtures in
 * src/test/resources/fixtures/dhis2, see SOURCES-aggregate.md). The fixtures come from the Android SDK's mocks
 * (2.38-era servers) and dhis2-core test inputs; where a newer DHIS2 adds keys (conflict {@code objects},
 * {@code errorCode}, {@code property}, {@code indexes}; {@code rejectedIndexes} from 2.39) they are listed as allowed.
 */
class AggregateContractTest {

    static final String FIXTURE_DE = "f7n9E0hX8qk";
    static final String FIXTURE_OU = "DiszpKrYNg8";

    private SandboxServer server;
    private AggregateHttp http;

    private Dhis2Instance start(int minor) throws IOException {
        Dhis2Instance instance = new Dhis2Instance("central", Dhis2Version.of(minor));
        MetadataGenerator.generate(instance, GeneratorSpec.small());
        addFixtureMetadata(instance);
        server = SandboxServer.start(instance);
        http = new AggregateHttp(server);
        return instance;
    }

    /** The UIDs the dhis2-core import fixtures use: a NUMBER data element and an org unit under the root. */
    static void addFixtureMetadata(Dhis2Instance instance) {
        String root = instance.userOrgUnits().get(0);
        ObjectNode de = SandboxJson.object().put("id", FIXTURE_DE).put("name", "Fixture DE")
                .put("valueType", "NUMBER").put("domainType", "AGGREGATE");
        de.putObject("categoryCombo").put("id", MetadataGenerator.DEFAULT_CATEGORY_COMBO);
        instance.catalog().put("dataElements", de);
        ObjectNode ou = SandboxJson.object().put("id", FIXTURE_OU).put("name", "Fixture OU").put("level", 2)
                .put("path", "/" + root + "/" + FIXTURE_OU);
        ou.putObject("parent").put("id", root);
        ou.putArray("children");
        instance.catalog().put("organisationUnits", ou);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String firstDataSet(Dhis2Instance i) {
        return i.catalog().list("dataSets").get(0).path("id").asText();
    }

    private static String dataElementOfType(Dhis2Instance i, String type) {
        return i.catalog().list("dataElements").stream().filter(d -> type.equals(d.path("valueType").asText()))
                .findFirst().orElseThrow().path("id").asText();
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    void exportWithoutHeaderHasTheShapeOfTheMonthlyExport(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        AggregateGenerator.generate(instance, GeneratorSpec.small());
        var answer = http.get("/api/dataValueSets?dataSet=" + firstDataSet(instance) + "&startDate=2000-01-01"
                + "&endDate=2100-01-01&orgUnit=" + instance.userOrgUnits().get(0) + "&children=true");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("dataValues")).isNotEmpty();
        // the reference (JsonDataValueSetWriter) writes comment even when null; the Android mock trimmed it
        assertThat(JsonShape.differences(JsonShape.fixture(
                "payloads/datavalues/data_values_monthly.json"), answer.json(), "dataValues[].comment")).isEmpty();
        assertThat(answer.json().path("dataValues").get(0).has("comment")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 42})
    void singleSetExportHasTheShapeOfTheDataSetExports(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        String ds = firstDataSet(instance);
        String de = instance.catalog().get("dataSets", ds).orElseThrow().path("dataSetElements").get(0)
                .path("dataElement").path("id").asText();
        String ou = instance.catalog().get("dataSets", ds).orElseThrow().path("organisationUnits").get(0)
                .path("id").asText();
        String coc = MetadataGenerator.DEFAULT_COC;
        instance.aggregate().setValue(de, "202401", ou, firstCoc(instance, de), coc, "12");
        var answer = http.get("/api/dataValueSets?dataSet=" + ds + "&period=202401&orgUnit=" + ou);
        // DHIS2 adds period/orgUnit (and completeDate when complete) to the header for one set/period/unit
        for (String fixture : List.of("data_values_BfMAe6Itzgt.json", "data_values_lyLU2wR22tC.json")) {
            assertThat(JsonShape.differences(JsonShape.fixture("payloads/datavalues/" + fixture),
                    answer.json(), "period", "orgUnit", "completeDate", "dataValues[].comment"))
                    .as(fixture).isEmpty();
        }
        assertThat(answer.json().path("dataSet").asText()).isEqualTo(ds);
    }

    private static String firstCoc(Dhis2Instance i, String de) {
        String combo = i.catalog().get("dataElements", de).orElseThrow().path("categoryCombo").path("id").asText();
        return i.catalog().get("categoryCombos", combo).orElseThrow().path("categoryOptionCombos").get(0)
                .path("id").asText();
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 42})
    void emptyExportIsAnEmptyDataValuesArray(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        var answer = http.get("/api/dataValueSets?dataSet=" + firstDataSet(instance) + "&period=199001&orgUnit="
                + instance.userOrgUnits().get(0) + "&children=true");
        assertThat(answer.json()).isEqualTo(JsonShape.fixture("payloads/datavalues/data_values_empty.json"));
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    void successfulImportMatchesTheWrappedSuccessSummary(int minor) throws IOException {
        start(minor);
        var answer = http.post("/api/dataValueSets",
                AggregateHttp.fixtureText("payloads/datavalues/dataValueSetJ.json"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(JsonShape.differences(JsonShape.fixture(
                "import-summaries/data_value_import_summary_web_response.json"), answer.json(),
                DATA_SET_OPTIONS)).isEmpty();
        assertDataSetOptions(minor, answer.json().path("response"));
        assertThat(JsonShape.differences(JsonShape.fixture("import-summaries/import_count.json"),
                answer.json().path("response").path("importCount"))).isEmpty();
        assertThat(answer.json().path("response").path("importCount").path("imported").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    void warningMatchesTheWrappedWarningSummaryAndTheNewConflictShape(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        String numeric = dataElementOfType(instance, "NUMBER");
        var answer = http.post("/api/dataValueSets", warningBody(instance, numeric));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(JsonShape.differences(JsonShape.fixture(
                        "import-summaries/data_value_set_warning.json"), answer.json(),
                "response.conflicts[].objects", "response.conflicts[].errorCode", "response.conflicts[].property",
                "response.conflicts[].indexes", "response.rejectedIndexes", DATA_SET_OPTIONS[0], DATA_SET_OPTIONS[1],
                DATA_SET_OPTIONS[2])).isEmpty();
        assertDataSetOptions(minor, answer.json().path("response"));
        JsonNode conflict = answer.json().path("response").path("conflicts").get(0);
        assertThat(JsonShape.differences(JsonShape.fixture("import-summaries/import_conflict.json"),
                conflict)).isEmpty();
        assertThat(conflict.path("errorCode").asText()).isEqualTo("E7619");
        assertThat(conflict.path("objects").path("value").asText()).isEqualTo("value_not_numeric");
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41})
    @Contract({"AGG-7", "AGG-16"})
    void api37PathGetsThePlainPre38Summary(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        var answer = http.post("/api/37/dataValueSets", warningBody(instance, dataElementOfType(instance, "NUMBER")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(JsonShape.differences(JsonShape.fixture(
                        "import-summaries/data_value_set_warning.pre-2.38.json"), answer.json(),
                "conflicts[].objects", "conflicts[].errorCode", "conflicts[].property", "conflicts[].indexes",
                "rejectedIndexes", "importOptions.strictDataSetApproval", "importOptions.strictDataSetLocking",
                "importOptions.strictDataSetInputPeriods")).isEmpty();
        assertDataSetOptions(minor, answer.json());
    }

    /** ImportOptions' data set keys, which the SDK's (older) fixtures lack: real 2.40+ has them (AGG-16). */
    static final String[] DATA_SET_OPTIONS = {"response.importOptions.strictDataSetApproval",
        "response.importOptions.strictDataSetLocking", "response.importOptions.strictDataSetInputPeriods"};

    private static void assertDataSetOptions(int minor, JsonNode summary) {
        assertThat(summary.path("importOptions").has("strictDataSetApproval")).as("2.%d", minor)
                .isEqualTo(minor >= 40);
    }

    @org.junit.jupiter.api.Test
    void api37PathIsWrappedOn242() throws IOException {
        Dhis2Instance instance = start(42);
        var answer = http.post("/api/37/dataValueSets", warningBody(instance, dataElementOfType(instance, "NUMBER")));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().has("httpStatus")).isTrue();
    }

    /** One good value and one non-numeric value for a NUMBER data element (index 1). */
    private static String warningBody(Dhis2Instance instance, String numericDe) {
        String ou = instance.catalog().list("organisationUnits").stream()
                .filter(o -> o.path("level").asInt() == 3).findFirst().orElseThrow().path("id").asText();
        return """
                {"dataValues":[
                  {"dataElement":"%1$s","period":"202401","orgUnit":"%2$s","value":"5"},
                  {"dataElement":"%1$s","period":"202402","orgUnit":"%2$s","value":"40L"}]}
                """.formatted(numericDe, ou);
    }

    /** The dhis2-core import bodies do what their tests say: J creates, zero updates, DELETE deletes. */
    @ParameterizedTest
    @ValueSource(ints = {39, 42})
    void dhis2CoreImportBodiesBehaveAsInDhis2(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        String base = "payloads/datavalues/";
        assertThat(count(http.post("/api/dataValueSets", AggregateHttp.fixtureText(base + "dataValueSetJ.json")),
                "imported")).isEqualTo(1);
        assertThat(count(http.post("/api/dataValueSets",
                AggregateHttp.fixtureText(base + "dataValueSetJDeleteZeroValue.json")), "updated")).isEqualTo(1);
        assertThat(count(http.post("/api/dataValueSets?importStrategy=DELETE",
                AggregateHttp.fixtureText(base + "dataValueSetJDeleteNoValue.json")), "deleted")).isEqualTo(1);
        assertThat(count(http.post("/api/dataValueSets", AggregateHttp.fixtureText(base + "dataValueSetJ.json")),
                "imported")).isEqualTo(1);
        assertThat(count(http.post("/api/dataValueSets?importStrategy=DELETE",
                AggregateHttp.fixtureText(base + "dataValueSetJDeleteNewValue.json")), "deleted")).isEqualTo(1);
        assertThat(instance.aggregate().get(FIXTURE_DE, "201201", FIXTURE_OU, MetadataGenerator.DEFAULT_COC,
                MetadataGenerator.DEFAULT_COC).orElseThrow().deleted()).isTrue();
    }

    private static int count(AggregateHttp.Answer answer, String kind) {
        return answer.json().path("response").path("importCount").path(kind).asInt(-1);
    }

    /** DHIS2-8084: 2.39/2.40 keep the payload's created/lastUpdated, 2.41+ use the server clock. */
    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    void payloadTimestampsAreKeptOnlyUpTo240(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        http.post("/api/dataValueSets", AggregateHttp.fixtureText("payloads/datavalues/dataValueSetCreateDate.json"));
        var stored = instance.aggregate().get(FIXTURE_DE, "201201", FIXTURE_OU, MetadataGenerator.DEFAULT_COC,
                MetadataGenerator.DEFAULT_COC).orElseThrow();
        boolean kept = stored.lastUpdated().toString().startsWith("1988-12-21");
        assertThat(kept).isEqualTo(minor <= 40);
        assertThat(stored.created().toString().startsWith("1988-12-21")).isEqualTo(minor <= 40);
        assertThat(stored.storedBy()).isEqualTo("system");
    }

    /** dataValues_single_dataset.json names a data set the sandbox does not have: the import is aborted. */
    @ParameterizedTest
    @ValueSource(ints = {39, 42})
    void unknownDataSetAbortsTheImport(int minor) throws IOException {
        Dhis2Instance instance = start(minor);
        var answer = http.post("/api/dataValueSets",
                AggregateHttp.fixtureText("payloads/datavalues/dataValues_single_dataset.json"));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().path("status").asText()).isEqualTo("ERROR");
        JsonNode summary = answer.json().path("response");
        assertThat(summary.path("status").asText()).isEqualTo("ERROR");
        assertThat(summary.path("description").asText()).isEqualTo("Import process was aborted");
        assertThat(summary.path("conflicts").get(0).path("errorCode").asText()).isEqualTo("E7600");
        assertThat(summary.path("conflicts").get(0).path("object").asText()).isEqualTo("VEM58nY22sO");
        assertThat(summary.path("importCount").path("imported").asInt()).isZero();
        assertThat(instance.aggregate().size()).isZero();
    }
}
