package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.fixture;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.get;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.gzip;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.json;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataImportTest {

    /** A data element referencing a category combo that is neither in the payload nor on the server. */
    private static final String ONE_GOOD_ONE_BAD = """
            {"system":{"id":"s","rev":"r","version":"2.40","date":"2024-01-01T00:00:00.000"},
             "categoryCombos":[{"id":"m2jTvAj5kkm","name":"Sex"}],
             "dataElements":[
               {"id":"fbfJHSPpUQD","name":"ANC 1st visit","categoryCombo":{"id":"m2jTvAj5kkm"}},
               {"id":"cYeuwXTCPkU","name":"ANC 2nd visit","categoryCombo":{"id":"NoSuchCombo"}}]}
            """;

    private SandboxServer server;

    private void start(int minor) throws Exception {
        server = SandboxServer.start(new Dhis2Instance("central", Dhis2Version.of(minor)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"event_metadata.json", "identifier_metadata.json", "te_program_with_tea_metadata.json",
            "metadata_ids.json"})
    void fixtureSnapshotsImportIntoAnEmptyInstance(String file) throws Exception {
        start(40);
        byte[] body = fixture("metadata/" + file);
        HttpResponse<String> r = post(server, "/api/metadata", body);
        JsonNode envelope = json(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(envelope.path("status").asText()).isEqualTo("OK");
        JsonNode report = envelope.path("response");
        assertThat(report.path("responseType").asText()).isEqualTo("ImportReport");
        assertThat(report.path("status").asText()).isEqualTo("OK");
        int objects = 0;
        var doc = json(body);
        for (var it = doc.fieldNames(); it.hasNext(); ) {
            String collection = it.next();
            if (!"system".equals(collection)) {
                objects += doc.path(collection).size();
                assertThat(server.instance().catalog().size(collection)).as(collection)
                        .isEqualTo(doc.path(collection).size());
            }
        }
        assertThat(report.path("stats").path("created").asInt()).isEqualTo(objects);
        assertThat(report.path("stats").path("total").asInt()).isEqualTo(objects);
    }

    @Test
    void importedSnapshotExportsInTheFixturesShape() throws Exception {
        // te_program_with_tea_metadata.json is a 2.34-SNAPSHOT export; the emulated version is 2.40
        start(40);
        byte[] body = fixture("metadata/te_program_with_tea_metadata.json");
        assertThat(post(server, "/api/metadata", gzip(body)).statusCode()).isEqualTo(200); // gzip is sniffed
        server.instance().metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);
        JsonNode snapshot = json(get(server, "/api/metadata/version/Version_1/data").body());
        assertThat(JsonShape.differences(json(body), snapshot)).isEmpty();
    }

    @Test
    void importStampsLastUpdatedOnTheReceivingServersClock() throws Exception {
        start(41);
        Instant before = server.instance().clock().instant();
        post(server, "/api/metadata", fixture("metadata/identifier_metadata.json"));
        String lastUpdated = server.instance().catalog().list("dataElements").get(0).path("lastUpdated").asText();
        assertThat(Dhis2Dates.parse(lastUpdated)).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    void atomicAllWithAMissingReferenceImportsNothing(int minor) throws Exception {
        start(minor);
        HttpResponse<String> r = post(server, "/api/metadata", ONE_GOOD_ONE_BAD.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(409);
        JsonNode envelope = json(r.body());
        // the reference's reconstructed E4053 example (2.39 MetadataImportExportControllerTest)
        JsonNode reference = json("""
                {"httpStatus":"Conflict","httpStatusCode":409,"status":"WARNING",
                 "message":"One or more errors occurred, please see full details in import report.",
                 "response":{"responseType":"ImportReport","status":"ERROR",
                  "stats":{"created":0,"updated":0,"deleted":0,"ignored":1,"total":1},
                  "typeReports":[{"klass":"org.hisp.dhis.program.ProgramStage","stats":{"created":0,"updated":0,"deleted":0,"ignored":1,"total":1},
                   "objectReports":[{"klass":"org.hisp.dhis.program.ProgramStage","index":0,"uid":"x",
                    "errorReports":[{"message":"m","mainKlass":"k","mainId":"x","errorCode":"E4053","errorProperties":["p"]}]}]}]}}
                """);
        assertThat(JsonShape.differences(reference, envelope))
                .containsExactlyInAnyOrder("extra $.response.typeReports[].objectReports[].errorReports[].errorKlass",
                        "extra $.response.typeReports[].objectReports[].errorReports[].errorProperty",
                        "extra $.response.typeReports[].objectReports[].errorReports[].value");
        JsonNode report = envelope.path("response");
        assertThat(report.path("status").asText()).isEqualTo("ERROR");
        assertThat(report.path("stats").path("ignored").asInt()).isEqualTo(3);
        assertThat(report.path("stats").path("created").asInt()).isZero();
        JsonNode error = report.path("typeReports").get(1).path("objectReports").get(0).path("errorReports").get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo("E5002");
        assertThat(error.path("mainKlass").asText()).isEqualTo("org.hisp.dhis.dataelement.DataElement");
        assertThat(error.path("message").asText()).isEqualTo("Invalid reference [NoSuchCombo] (CategoryCombo) "
                + "on object [cYeuwXTCPkU] (DataElement) for association `categoryCombo`.");
        assertThat(server.instance().catalog().size("dataElements")).isZero();
        assertThat(server.instance().catalog().size("categoryCombos")).isZero();
    }

    @Test
    void atomicNoneImportsTheValidPartAndAnswers409Warning() throws Exception {
        start(40);
        HttpResponse<String> r = post(server, "/api/metadata?atomicMode=NONE",
                ONE_GOOD_ONE_BAD.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(409);
        JsonNode envelope = json(r.body());
        assertThat(envelope.path("status").asText()).isEqualTo("WARNING");
        assertThat(envelope.path("response").path("status").asText()).isEqualTo("WARNING");
        assertThat(envelope.path("response").path("stats").path("created").asInt()).isEqualTo(2);
        assertThat(envelope.path("response").path("stats").path("ignored").asInt()).isEqualTo(1);
        assertThat(server.instance().catalog().exists("dataElements", "fbfJHSPpUQD")).isTrue();
        assertThat(server.instance().catalog().exists("dataElements", "cYeuwXTCPkU")).isFalse();
    }

    @Test
    void validateModeWritesNothingAndStrategiesAreEnforced() throws Exception {
        start(42);
        String good = """
                {"dataElements":[{"id":"fbfJHSPpUQD","name":"ANC 1st visit","categoryCombo":{"id":"bjDvmb4bfuf"}}]}
                """;
        JsonNode validated = json(post(server, "/api/metadata?importMode=VALIDATE", good.getBytes()).body());
        assertThat(validated.path("status").asText()).isEqualTo("OK");
        assertThat(server.instance().catalog().size("dataElements")).isZero();

        HttpResponse<String> update = post(server, "/api/metadata?importStrategy=UPDATE", good.getBytes());
        assertThat(update.statusCode()).isEqualTo(409);
        assertThat(json(update.body()).at("/response/typeReports/0/objectReports/0/errorReports/0/errorCode").asText())
                .isEqualTo("E5001");

        JsonNode created = json(post(server, "/api/metadata", good.getBytes()).body());
        assertThat(created.at("/response/stats/created").asInt()).isEqualTo(1);
        JsonNode updated = json(post(server, "/api/metadata?importReportMode=FULL", good.getBytes()).body());
        assertThat(updated.at("/response/stats/updated").asInt()).isEqualTo(1);
        assertThat(updated.at("/response/typeReports/0/objectReports/0/uid").asText()).isEqualTo("fbfJHSPpUQD");

        HttpResponse<String> create = post(server, "/api/metadata?importStrategy=CREATE", good.getBytes());
        assertThat(json(create.body()).at("/response/typeReports/0/objectReports/0/errorReports/0/errorCode").asText())
                .isEqualTo("E5000");
        JsonNode deleted = json(post(server, "/api/metadata?importStrategy=DELETE", good.getBytes()).body());
        assertThat(deleted.at("/response/stats/deleted").asInt()).isEqualTo(1);
        assertThat(server.instance().catalog().size("dataElements")).isZero();
    }

    @Test
    void rejectedUidsFailWithAnErrorReport() throws Exception {
        start(40);
        server.instance().faults().rejectedUids().add("fbfJHSPpUQD");
        HttpResponse<String> r = post(server, "/api/metadata?atomicMode=NONE",
                ONE_GOOD_ONE_BAD.getBytes(StandardCharsets.UTF_8));
        JsonNode report = json(r.body()).path("response");
        assertThat(report.path("stats").path("created").asInt()).isEqualTo(1); // only the category combo
        assertThat(report.at("/typeReports/1/objectReports/0/uid").asText()).isEqualTo("fbfJHSPpUQD");
        assertThat(report.at("/typeReports/1/objectReports/0/errorReports/0/errorCode").asText()).isEqualTo("E3001");
    }

    @Test
    void programStageWithoutProgramIsE4053() throws Exception {
        start(39);
        String stage = "{\"programStages\":[{\"id\":\"NpsdDv6kKSO\",\"name\":\"Birth\"}]}";
        HttpResponse<String> r = post(server, "/api/metadata", stage.getBytes());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r.body()).at("/response/typeReports/0/objectReports/0/errorReports/0/message").asText())
                .isEqualTo("Program stage `NpsdDv6kKSO` must reference a program.");
    }

    @Test
    void malformedBodyIs400() throws Exception {
        start(40);
        HttpResponse<String> r = post(server, "/api/metadata", "{\"dataElements\":[{\"id\":".getBytes());
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    @Contract("META-9")
    void importedOrgUnitGetsItsPathFromItsParentAndIsInTheUsersHierarchy() throws Exception {
        Dhis2Instance instance = new Dhis2Instance("local", Dhis2Version.of(41));
        MetadataGenerator.generate(instance, GeneratorSpec.small());
        server = SandboxServer.start(instance);
        var catalog = instance.catalog();
        String root = catalog.list("organisationUnits").stream().filter(o -> o.path("level").asInt() == 1)
                .findFirst().orElseThrow().path("id").asText();
        String district = catalog.list("organisationUnits").stream().filter(o -> o.path("level").asInt() == 2)
                .findFirst().orElseThrow().path("id").asText();
        instance.userOrgUnits().add(root);
        // central's export carries central's path and level; DHIS2 derives both from the parent chain on import
        String body = "{\"organisationUnits\":[{\"id\":\"NewFacil001\",\"name\":\"New facility\","
                + "\"shortName\":\"New facility\",\"openingDate\":\"2020-01-01T00:00:00.000\","
                + "\"path\":\"/CentralRoot/NewFacil001\",\"level\":2,\"parent\":{\"id\":\"" + district + "\"}}]}";
        assertThat(post(server, "/api/metadata", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);

        JsonNode unit = json(get(server, "/api/organisationUnits/NewFacil001").body());
        assertThat(unit.path("path").asText()).isEqualTo("/" + root + "/" + district + "/NewFacil001");
        assertThat(unit.path("level").asInt()).isEqualTo(3);
        String dataSet = catalog.list("dataSets").get(0).path("id").asText();
        HttpResponse<byte[]> export = get(server, "/api/dataValueSets?dataSet=" + dataSet
                + "&period=202401&orgUnit=NewFacil001");
        assertThat(export.statusCode()).as(new String(export.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract("META-10")
    void userReferencesToUnknownUsersAreNotCheckedSoARealSnapshotImports(int minor) throws Exception {
        start(minor);
        com.fasterxml.jackson.databind.node.ObjectNode snapshot =
                (com.fasterxml.jackson.databind.node.ObjectNode) json(fixture("metadata/event_metadata.json"));
        // central exports objects with user / lastUpdatedBy (and createdBy) of users the local server does not have
        snapshot.remove("users");
        snapshot.remove("userRoles");
        snapshot.withArray("dataElements").forEach(de -> ((com.fasterxml.jackson.databind.node.ObjectNode) de)
                .putObject("createdBy").put("id", "UnknownUsr1").put("username", "central-admin"));
        assertThat(snapshot.toString()).contains("\"user\":{", "\"lastUpdatedBy\":{");

        HttpResponse<String> r = post(server, "/api/metadata?atomicMode=ALL", snapshot.toString()
                .getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("E5002");
        assertThat(server.instance().catalog().size("programs")).isEqualTo(snapshot.path("programs").size());
    }
}
