package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.get;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.getText;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.json;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataVersionApiTest {

    private SandboxServer server;

    private SandboxServer start(int minor) throws Exception {
        server = SandboxServer.start(new Dhis2Instance("central", Dhis2Version.of(minor)));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void putDataElement(String id, String name) {
        ObjectNode de = SandboxJson.object();
        de.put("id", id);
        de.put("name", name);
        de.putObject("categoryCombo").put("id", "bjDvmb4bfuf");
        server.instance().catalog().put("dataElements", de);
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract("META-11")
    void versionAndHistoryHaveDhis2Shapes(int minor) throws Exception {
        start(minor);
        putDataElement("fbfJHSPpUQD", "ANC 1st visit");
        server.instance().metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);
        server.instance().metadataVersions().create(MetadataVersion.Type.ATOMIC);

        HttpResponse<String> current = getText(server, "/api/metadata/version");
        assertThat(current.statusCode()).isEqualTo(200);
        JsonNode v = json(current.body());
        // the reference example of GET /api/metadata/version (docs@2.39 metadata.md)
        JsonNode reference = json("{\"name\":\"Version_4\",\"created\":\"2016-06-30T06:01:28.684+0000\","
                + "\"lastUpdated\":\"2016-06-30T06:01:28.685+0000\",\"externalAccess\":false,\"displayName\":\"Version_4\","
                + "\"type\":\"BEST_EFFORT\",\"hashCode\":\"848bf6edbaf4faeb7d1a1169445357b0\",\"id\":\"Ayz2AEMB6ry\"}");
        assertThat(JsonShape.differences(reference, v)).isEmpty();
        assertThat(v.path("name").asText()).isEqualTo("Version_2");
        assertThat(v.path("type").asText()).isEqualTo("ATOMIC");
        assertThat(v.path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");

        JsonNode history = json(getText(server, "/api/metadata/version/history").body());
        JsonNode historyReference = json("{\"metadataversions\":[{\"name\":\"Version_3\",\"type\":\"BEST_EFFORT\","
                + "\"created\":\"2016-06-30T06:01:23.680+0000\",\"id\":\"FVkGzSjAAYg\","
                + "\"hashCode\":\"70b779ea448b0da23d8ae0bd59af6333\"}]}");
        assertThat(JsonShape.differences(historyReference, history)).isEmpty();
        assertThat(history.path("metadataversions")).hasSize(2);

        JsonNode sinceFirst = json(getText(server, "/api/metadata/version/history?baseline=Version_1").body());
        assertThat(sinceFirst.path("metadataversions")).hasSize(1);
        assertThat(sinceFirst.path("metadataversions").get(0).path("name").asText()).isEqualTo("Version_2");
        assertThat(json(getText(server, "/api/" + minor + "/metadata/versions").body()).path("metadataversions"))
                .hasSize(2);
    }

    @Test
    @Contract("META-12")
    void historyWithNothingNewerIsAnEmptyBodyAndUnknownBaselineIs500() throws Exception {
        start(40);
        server.instance().metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);
        server.instance().metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);

        HttpResponse<String> none = getText(server, "/api/metadata/version/history?baseline=Version_2");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();

        HttpResponse<String> unknown = getText(server, "/api/metadata/version/history?baseline=Version_9");
        assertThat(unknown.statusCode()).isEqualTo(500);
        JsonNode error = json(unknown.body());
        assertThat(error.path("httpStatus").asText()).isEqualTo("Internal Server Error");
        assertThat(error.path("message").asText())
                .isEqualTo("There is no such metadata version. The latest version is Version Version_2");
    }

    @Test
    @Contract("META-11")
    void noVersionsAndUnknownNameAre500WithDhis2Messages() throws Exception {
        start(41);
        HttpResponse<String> none = getText(server, "/api/metadata/version");
        assertThat(none.statusCode()).isEqualTo(500);
        assertThat(json(none.body()).path("message").asText())
                .isEqualTo("No metadata versions exist. Please check again later.");
        assertThat(json(getText(server, "/api/metadata/version/history").body()).path("metadataversions")).isEmpty();

        server.instance().metadataVersions().create(MetadataVersion.Type.ATOMIC);
        HttpResponse<String> unknown = getText(server, "/api/metadata/version?versionName=Version_7");
        assertThat(unknown.statusCode()).isEqualTo(500);
        assertThat(json(unknown.body()).path("message").asText())
                .isEqualTo("No metadata version with name Version_7 exists. Please check again later.");
        HttpResponse<String> data = getText(server, "/api/metadata/version/Version_7/data");
        assertThat(data.statusCode()).isEqualTo(500);
        assertThat(json(data.body()).path("message").asText()).startsWith("No metadata version snapshot found");
    }

    @Test
    @Contract("META-17")
    void historyOrderIsCreationOrderByDefaultAndCanBeShuffled() throws Exception {
        start(40);
        MetadataVersionStore store = server.instance().metadataVersions();
        for (int i = 0; i < 12; i++) {
            store.create(MetadataVersion.Type.BEST_EFFORT);
        }
        assertThat(names(json(getText(server, "/api/metadata/version/history").body())))
                .containsExactly("Version_1", "Version_2", "Version_3", "Version_4", "Version_5", "Version_6",
                        "Version_7", "Version_8", "Version_9", "Version_10", "Version_11", "Version_12");

        store.setHistoryOrder(MetadataVersionStore.HistoryOrder.SHUFFLED);
        List<String> shuffled = names(json(getText(server, "/api/metadata/version/history?baseline=Version_2").body()));
        assertThat(shuffled).hasSize(10).doesNotContain("Version_1", "Version_2")
                .containsExactlyInAnyOrder("Version_3", "Version_4", "Version_5", "Version_6", "Version_7",
                        "Version_8", "Version_9", "Version_10", "Version_11", "Version_12");
        assertThat(shuffled).isNotEqualTo(shuffled.stream().sorted((a, b) -> Integer.compare(
                Integer.parseInt(a.substring(8)), Integer.parseInt(b.substring(8)))).toList());
    }

    private static List<String> names(JsonNode listing) {
        List<String> names = new ArrayList<>();
        listing.path("metadataversions").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    @Test
    @Contract("META-13")
    void dataIsTheSnapshotAndDataGzGunzipsToItWithTheAdvertisedMd5() throws Exception {
        start(42);
        putDataElement("fbfJHSPpUQD", "ANC 1st visit");
        MetadataVersion v1 = server.instance().metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);

        HttpResponse<byte[]> data = get(server, "/api/metadata/version/Version_1/data");
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(new String(data.body(), StandardCharsets.UTF_8)).isEqualTo(v1.snapshot());

        HttpResponse<byte[]> gz = get(server, "/api/metadata/version/Version_1/data.gz");
        assertThat(gz.statusCode()).isEqualTo(200);
        assertThat(gz.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/gzip");
        assertThat(gz.headers().firstValue("Content-Disposition").orElse(""))
                .isEqualTo("attachment; filename=metadata.json.gz");
        byte[] gunzipped = new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes();
        assertThat(gunzipped).isEqualTo(data.body());
        String advertised = json(getText(server, "/api/metadata/version?versionName=Version_1").body())
                .path("hashCode").asText();
        assertThat(MetadataVersion.md5(new String(gunzipped, StandardCharsets.UTF_8))).isEqualTo(advertised);

        JsonNode snapshot = json(gunzipped);
        assertThat(snapshot.path("system").path("version").asText()).isEqualTo("2.42");
        assertThat(snapshot.path("dataElements").get(0).path("id").asText()).isEqualTo("fbfJHSPpUQD");
    }

    @Test
    void aCorruptedVersionAdvertisesAHashThatDoesNotMatchItsBytes() throws Exception {
        start(40);
        server.instance().metadataVersions().add(MetadataVersion.Type.ATOMIC,
                "{\"system\":{\"id\":\"x\",\"rev\":\"r\",\"version\":\"2.38.1\",\"date\":\"2024-01-01T00:00:00.000\"}}",
                "00000000000000000000000000000000");
        byte[] data = get(server, "/api/metadata/version/Version_1/data").body();
        String advertised = json(getText(server, "/api/metadata/version").body()).path("hashCode").asText();
        assertThat(MetadataVersion.md5(new String(data, StandardCharsets.UTF_8))).isNotEqualTo(advertised);
        assertThat(json(data).path("system").path("version").asText()).isEqualTo("2.38.1");
    }

    @Test
    @Contract("META-14")
    void createMakesTheNextVersionAsADeltaOfTheCatalog() throws Exception {
        start(41);
        putDataElement("fbfJHSPpUQD", "ANC 1st visit");
        HttpResponse<String> first = post(server, "/api/metadata/version/create?type=BEST_EFFORT", new byte[0]);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first.body()).path("name").asText()).isEqualTo("Version_1");

        putDataElement("cYeuwXTCPkU", "ANC 2nd visit");
        JsonNode second = json(post(server, "/api/metadata/version/create?type=ATOMIC", new byte[0]).body());
        assertThat(second.path("name").asText()).isEqualTo("Version_2");
        assertThat(second.path("type").asText()).isEqualTo("ATOMIC");
        JsonNode delta = json(get(server, "/api/metadata/version/Version_2/data").body());
        assertThat(delta.path("dataElements")).hasSize(1);
        assertThat(delta.path("dataElements").get(0).path("id").asText()).isEqualTo("cYeuwXTCPkU");
        assertThat(delta.path("system").path("version").asText()).isEqualTo("2.41");
        assertThat(MetadataVersion.md5(getText(server, "/api/metadata/version/Version_2/data").body()))
                .isEqualTo(second.path("hashCode").asText());
        assertThat(server.instance().metadataVersions().currentVersionName()).contains("Version_2");
        assertThat(json(getText(server, "/api/system/info").body()).path("systemMetadataVersion").asText())
                .isEqualTo("Version_2");
    }

    @Test
    @Contract("META-15")
    void versionEndpointsNeedAllOrMetadataManageAuthority() throws Exception {
        start(40);
        server.instance().metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);
        server.instance().userAuthorities().clear();
        server.instance().userAuthorities().add("F_DATAVALUE_ADD");
        for (String path : List.of("/api/metadata/version/Version_1/data", "/api/metadata/version/Version_1/data.gz")) {
            HttpResponse<String> r = getText(server, path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(json(r.body()).path("httpStatus").asText()).isEqualTo("Forbidden");
        }
        assertThat(post(server, "/api/metadata/version/create?type=ATOMIC", new byte[0]).statusCode()).isEqualTo(403);
        // the version descriptions have no authority check in DHIS2
        for (String path : List.of("/api/metadata/version", "/api/metadata/version/history", "/api/metadata/versions")) {
            assertThat(getText(server, path).statusCode()).as(path).isEqualTo(200);
        }
        server.instance().userAuthorities().add(MetadataVersionApi.MANAGE_AUTHORITY);
        assertThat(getText(server, "/api/metadata/version/Version_1/data").statusCode()).isEqualTo(200);
    }

    @Test
    @Contract("META-16")
    void disabledVersioningIs400() throws Exception {
        start(39);
        server.instance().metadataVersions().setEnabled(false);
        HttpResponse<String> r = getText(server, "/api/metadata/version/history");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).path("message").asText())
                .isEqualTo("Metadata versioning is not enabled for this instance.");
    }

    @Test
    void generatorMakesABaselineOnBothAndDeltaVersionsOnCentral() throws Exception {
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(40), Dhis2Version.of(41))) {
            SandboxGenerator.populate(pair, GeneratorSpec.small().withMetadataVersions(4));
            List<MetadataVersion> central = pair.central().metadataVersions().list();
            List<MetadataVersion> local = pair.local().metadataVersions().list();
            assertThat(central).extracting(MetadataVersion::name)
                    .containsExactly("Version_1", "Version_2", "Version_3", "Version_4", "Version_5");
            assertThat(central).extracting(v -> v.type().name())
                    .containsExactly("BEST_EFFORT", "BEST_EFFORT", "ATOMIC", "BEST_EFFORT", "ATOMIC");
            assertThat(local).hasSize(1);
            assertThat(local.get(0).name()).isEqualTo("Version_1");
            assertThat(local.get(0).hash()).isEqualTo(central.get(0).hash());
            assertThat(local.get(0).importDate()).isNotNull();
            for (MetadataVersion v : central) {
                assertThat(MetadataVersion.md5(v.snapshot())).isEqualTo(v.hash());
            }
            JsonNode delta = json(central.get(2).snapshot());
            assertThat(delta.path("system").path("version").asText()).isEqualTo("2.41");
            assertThat(delta.path("dataElements")).hasSize(2);
            assertThat(delta.path("optionSets")).hasSize(1);
            assertThat(delta.path("options")).hasSize(2);

            // local asks central what is newer than its baseline, as DHIS2's metadata sync job does
            JsonNode history = json(getText(pair.centralServer(),
                    "/api/metadata/version/history?baseline=Version_1").body());
            assertThat(names(history)).containsExactly("Version_2", "Version_3", "Version_4", "Version_5");
            JsonNode localHistory = json(getText(pair.localServer(), "/api/metadata/version/history").body());
            assertThat(localHistory.path("metadataversions").get(0).has("importdate")).isTrue();
        }
    }
}
