package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.getText;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.json;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/metadata/sync?versionName=} on a sandbox local that pulls the version from the sandbox central of
 * its system settings over real HTTP (DHIS2's MetadataSyncController / DefaultMetadataSyncService).
 */
class MetadataSyncApiTest {

    private SandboxPair pair;

    private SandboxPair start(int localMinor, int centralMinor) throws Exception {
        pair = SandboxPair.start(Dhis2Version.of(localMinor), Dhis2Version.of(centralMinor));
        return pair;
    }

    @AfterEach
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    /** The remote settings posted to local's /api/systemSettings, as an operator (or the engine) sets them. */
    private void configureRemote(String password) throws Exception {
        ObjectNode settings = SandboxJson.object();
        settings.put("keyRemoteInstanceUrl", pair.centralServer().url());
        settings.put("keyRemoteInstanceUsername", "admin");
        settings.put("keyRemoteInstancePassword", password);
        HttpResponse<String> answer = post(pair.localServer(), "/api/systemSettings",
                settings.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body()).path("message").asText()).isEqualTo("System settings imported");
    }

    private static String snapshot(String systemVersion, String optionSetId, String dataElementCombo) {
        ObjectNode root = SandboxJson.object();
        root.putObject("system").put("id", "sys").put("rev", "abc").put("version", systemVersion)
                .put("date", "2024-05-01T00:00:00.000");
        root.putArray("optionSets").addObject().put("id", optionSetId).put("name", "Set " + optionSetId)
                .put("valueType", "TEXT");
        if (dataElementCombo != null) {
            ObjectNode de = root.putArray("dataElements").addObject().put("id", "DeSync00001").put("name", "DE")
                    .put("shortName", "DE").put("valueType", "INTEGER").put("domainType", "AGGREGATE");
            de.putObject("categoryCombo").put("id", dataElementCombo);
        }
        root.putArray("jobConfigurations").addObject().put("id", "JobConf0001").put("name", "central job");
        return root.toString();
    }

    private HttpResponse<String> sync(String versionName) throws Exception {
        return getText(pair.localServer(), "/api/metadata/sync?versionName=" + versionName);
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract({"META-1", "META-2", "META-3", "META-18"})
    void localPullsTheVersionFromItsRemoteImportsAndRegistersIt(int minor) throws Exception {
        start(minor, minor);
        configureRemote("district");
        MetadataVersion v1 = pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT,
                snapshot("2." + minor, "SyncSet0001", null));
        pair.central().metadataVersions().add(MetadataVersion.Type.ATOMIC, snapshot("2." + minor, "SyncSet0002", null));

        HttpResponse<String> answer = sync("Version_1");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode summary = json(answer.body());
        assertThat(summary.path("importReport").path("status").asText()).isEqualTo("OK");
        assertThat(summary.path("metadataVersion").path("name").asText()).isEqualTo("Version_1");
        assertThat(summary.path("metadataVersion").path("hashCode").asText()).isEqualTo(v1.hash());
        assertThat(summary.path("metadataVersion").path("id").asText()).isEqualTo(v1.id());
        assertThat(summary.path("metadataVersion").has("importDate")).isTrue();
        // local imported the snapshot (without job configurations) and knows the version now
        assertThat(pair.local().catalog().exists("optionSets", "SyncSet0001")).isTrue();
        assertThat(pair.local().catalog().exists("jobConfigurations", "JobConf0001")).isFalse();
        JsonNode current = json(getText(pair.localServer(), "/api/metadata/version").body());
        assertThat(current.path("name").asText()).isEqualTo("Version_1");
        assertThat(current.path("hashCode").asText()).isEqualTo(v1.hash());
        assertThat(json(getText(pair.localServer(), "/api/metadata/version/history").body())
                .path("metadataversions").get(0).has("importdate")).isTrue();
        // the local server asked the central itself: ping, version description, gzip snapshot
        assertThat(pair.central().requests().count("GET", "/api/system/ping")).isGreaterThanOrEqualTo(2);
        assertThat(pair.central().requests().matching("GET", "/api/metadata/version").stream()
                .map(RequestLog.Entry::query)).contains("versionName=Version_1");
        assertThat(pair.central().requests().count("GET", "/api/metadata/version/Version_1/data.gz")).isEqualTo(1);

        HttpResponse<String> again = sync("Version_1");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again.body()).path("message").asText())
                .isEqualTo("Version already exists in system and hence not starting the sync.");
    }

    @Test
    @Contract("META-4")
    void remoteNotConfiguredOrRefusingIs500AndUnknownVersionIs400() throws Exception {
        start(41, 41);
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.41", "SyncSet0003", null));

        HttpResponse<String> unconfigured = sync("Version_1");
        assertThat(unconfigured.statusCode()).isEqualTo(500);
        assertThat(json(unconfigured.body()).path("message").asText()).isEqualTo("Remote server is not configured");

        configureRemote("wrong-password");
        HttpResponse<String> refused = sync("Version_1");
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(json(refused.body()).path("message").asText()).isEqualTo("Authentication failed");
        assertThat(refused.body()).doesNotContain("wrong-password");

        configureRemote("district");
        HttpResponse<String> unknown = sync("Version_9");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown.body()).path("message").asText()).startsWith("Error in parsing inputParams Server Error."
                + " Http call failed with status code: 500 Caused by: ").contains("No metadata version with name Version_9");

        HttpResponse<String> missing = getText(pair.localServer(), "/api/metadata/sync");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing.body()).path("message").asText())
                .isEqualTo("Error in parsing inputParams Missing required parameter: 'versionName'");
        assertThat(pair.local().metadataVersions().list()).isEmpty();
    }

    @Test
    @Contract("META-5")
    void corruptedSnapshotIs500AndNothingIsImported() throws Exception {
        start(40, 40);
        configureRemote("district");
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.40", "SyncSet0004", null),
                "0123456789abcdef0123456789abcdef");

        HttpResponse<String> answer = sync("Version_1");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(json(answer.body()).path("message").asText()).isEqualTo(
                "Exception occurred while doing metadata sync: Metadata snapshot is corrupted. Not saving it locally");
        assertThat(pair.local().catalog().exists("optionSets", "SyncSet0004")).isFalse();
        assertThat(pair.local().metadataVersions().list()).isEmpty();
    }

    @Test
    @Contract("META-6")
    void importErrorsAre409WithTheSummaryAndOnlyBestEffortWarningsRegister() throws Exception {
        start(42, 42);
        configureRemote("district");
        MetadataVersionStore central = pair.central().metadataVersions();
        central.add(MetadataVersion.Type.ATOMIC, snapshot("2.42", "SyncSet0005", "MissingCC01"));
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.42", "SyncSet0006", "MissingCC01"));

        HttpResponse<String> atomic = sync("Version_1");
        assertThat(atomic.statusCode()).isEqualTo(409);
        JsonNode error = json(atomic.body());
        assertThat(error.path("status").asText()).isEqualTo("ERROR");
        assertThat(error.has("message")).isFalse();
        assertThat(error.path("response").path("importReport").path("status").asText()).isEqualTo("ERROR");
        assertThat(error.path("response").path("metadataVersion").path("name").asText()).isEqualTo("Version_1");
        assertThat(atomic.body()).contains("E5002");
        assertThat(pair.local().catalog().exists("optionSets", "SyncSet0005")).isFalse();
        assertThat(pair.local().metadataVersions().get("Version_1")).isEmpty();

        HttpResponse<String> bestEffort = sync("Version_2");
        assertThat(bestEffort.statusCode()).isEqualTo(409);
        assertThat(json(bestEffort.body()).path("response").path("importReport").path("status").asText())
                .isEqualTo("WARNING");
        assertThat(pair.local().catalog().exists("optionSets", "SyncSet0006")).isTrue();
        assertThat(pair.local().metadataVersions().get("Version_2")).isPresent();
    }

    @Test
    @Contract("META-7")
    void differentDhis2VersionIs403WhenTheLocalSettingSaysStop() throws Exception {
        start(40, 41);
        configureRemote("district");
        pair.central().metadataVersions().add(MetadataVersion.Type.BEST_EFFORT, snapshot("2.41", "SyncSet0007", null));
        pair.local().systemSettings().put("keyStopMetadataSync", "true");

        HttpResponse<String> answer = sync("Version_1");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(json(answer.body()).path("message").asText()).isEqualTo("Exception occurred while doing metadata"
                + " sync: Metadata sync failed because your version of DHIS does not match the master version");
        assertThat(pair.local().catalog().exists("optionSets", "SyncSet0007")).isFalse();

        pair.local().systemSettings().put("keyStopMetadataSync", "false");
        assertThat(sync("Version_1").statusCode()).isEqualTo(200);
    }
}
