package org.dhis2.sync.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.MetadataVersion;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * META_DATA_SYNC between different DHIS2 versions (metadata.sync.stopIfVersionsDiffer=false): the local server of
 * each version applies central's versions through its own /api/metadata/sync and then knows them.
 */
class MetadataVersionsAcrossVersionsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @ParameterizedTest(name = "local 2.{0}, central 2.{1}")
    @CsvSource({"39, 42", "42, 39"})
    void localRegistersEveryVersionItApplied(int localMinor, int centralMinor) throws Exception {
        try (SandboxPair pair = SandboxPair.start(Dhis2Version.of(localMinor), Dhis2Version.of(centralMinor))) {
            SandboxGenerator.populate(pair, GeneratorSpec.small().withDataValues(0).withTrackedEntities(0).withMetadataVersions(3));
            Map<String, String> s = new HashMap<>();
            s.put("local.url", pair.localServer().url());
            s.put("central.url", pair.centralServer().url());
            s.put("sync.availability.attempts", "2");
            s.put("sync.availability.delayMillis", "1");
            s.put("metadata.sync.stopIfVersionsDiffer", "false");
            try (Engine engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                    TestEngines.routesWith(temp), s)))) {
                engine.context().createProducerTemplate().send("direct:default.job.META_DATA_SYNC", x -> { });
                JobRun run = engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class)
                        .lastFinished("META_DATA_SYNC").orElseThrow();
                assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
            }
            assertThat(pair.local().metadataVersions().list()).extracting(MetadataVersion::name)
                    .containsExactly("Version_1", "Version_2", "Version_3", "Version_4");
            HttpRequest current = HttpRequest.newBuilder(URI.create(pair.localServer().url() + "/api/metadata/version"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "admin:district".getBytes(StandardCharsets.UTF_8))).GET().build();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(current, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("name").asText()).isEqualTo("Version_4");
            assertThat(pair.central().requests().matching("GET", "/api/metadata/version/Version_4/data.gz"))
                    .hasSize(2); // one download by dhis2-sync (checked first), one by the local server
        }
    }
}
