package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** What DHIS2 does with compressed bodies and CSV on the endpoints the engine posts to central. */
class CompressionContractTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String JACKSON = "Illegal character ((CTRL-CHAR, code 31)): only regular white space "
            + "(\\r, \\n, \\t) is allowed between tokens";

    /** An instance with generated metadata, its server, and the references a value needs. */
    private static final class World implements AutoCloseable {
        final Dhis2Instance instance;
        final SandboxServer server;
        final String de;
        final String coc;
        final String ou;
        final String dataSet;

        World(int version) throws IOException {
            instance = new Dhis2Instance("central", Dhis2Version.of(version));
            MetadataGenerator.generate(instance, GeneratorSpec.small());
            server = SandboxServer.start(instance);
            de = instance.catalog().list("dataElements").stream()
                    .filter(d -> "INTEGER".equals(d.path("valueType").asText())
                            || "NUMBER".equals(d.path("valueType").asText()))
                    .findFirst().orElseThrow().path("id").asText();
            String combo = instance.catalog().get("dataElements", de).orElseThrow().path("categoryCombo")
                    .path("id").asText();
            coc = instance.catalog().get("categoryCombos", combo).orElseThrow().path("categoryOptionCombos").get(0)
                    .path("id").asText();
            ou = instance.catalog().list("organisationUnits").stream().filter(o -> o.path("level").asInt() == 3)
                    .findFirst().orElseThrow().path("id").asText();
            dataSet = instance.catalog().list("dataSets").get(0).path("id").asText();
        }

        String value(String period, String value) {
            return "{\"dataValues\":[{\"dataElement\":\"" + de + "\",\"period\":\"" + period + "\",\"orgUnit\":\""
                    + ou + "\",\"categoryOptionCombo\":\"" + coc + "\",\"value\":\"" + value + "\"}]}";
        }

        HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
            return HTTP.send(request(path).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
            return HTTP.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("admin:district".getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private static JsonNode json(HttpResponse<byte[]> answer) throws IOException {
        return SandboxJson.MAPPER.readTree(answer.body());
    }

    private static byte[] zip(String name, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(data);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    @Contract("NET-8")
    void aGzipTrackerBodyIsRefusedAsEachVersionRefusesIt() throws Exception {
        byte[] gzip = AggregateHttp.gzip("{\"trackedEntities\":[]}".getBytes(StandardCharsets.UTF_8));
        try (World v40 = new World(40); World v41 = new World(41); World v42 = new World(42)) {
            HttpResponse<byte[]> old = v40.post("/api/tracker?async=false", "application/json", gzip);
            assertThat(old.statusCode()).as("no handler for unreadable bodies: the catch-all's 500").isEqualTo(500);
            assertThat(json(old).path("message").asText()).isEqualTo(JACKSON
                    + "\n at [Source: (org.springframework.util.StreamUtils$NonClosingInputStream); line: 1, column: 2]");

            HttpResponse<byte[]> v41answer = v41.post("/api/tracker", "application/json", gzip);
            assertThat(v41answer.statusCode()).isEqualTo(400);
            assertThat(json(v41answer).path("httpStatus").asText()).isEqualTo("Bad Request");
            assertThat(json(v41answer).path("message").asText()).isEqualTo("JSON parse error: " + JACKSON
                    + "; nested exception is com.fasterxml.jackson.core.JsonParseException: " + JACKSON
                    + "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, "
                    + "column: 2]");

            HttpResponse<byte[]> v42answer = v42.post("/api/tracker?async=false", "application/json", gzip);
            assertThat(v42answer.statusCode()).isEqualTo(400);
            assertThat(json(v42answer).path("message").asText()).isEqualTo("JSON parse error: " + JACKSON);
            assertThat(v42.instance.tracker().count(TrackerStore.Kind.TRACKED_ENTITY, true)).isZero();

            HttpResponse<byte[]> plain = v42.post("/api/tracker?async=false", "application/json",
                    "{\"trackedEntities\":[]}".getBytes(StandardCharsets.UTF_8));
            assertThat(plain.statusCode()).as("the same body uncompressed").isEqualTo(200);
        }
    }

    @Test
    @Contract("NET-9")
    void gzipAndZipBodiesAreSniffedOnDataValuesAndRegistrations() throws Exception {
        try (World world = new World(41)) {
            HttpResponse<byte[]> zipped = world.post("/api/dataValueSets", "application/json",
                    zip("dataValues.json", world.value("202401", "4").getBytes(StandardCharsets.UTF_8)));
            assertThat(json(zipped).path("response").path("importCount").path("imported").asInt()).isEqualTo(1);
            HttpResponse<byte[]> gzipped = world.post("/api/dataValueSets", "application/json",
                    AggregateHttp.gzip(world.value("202402", "5").getBytes(StandardCharsets.UTF_8)));
            assertThat(json(gzipped).path("response").path("importCount").path("imported").asInt()).isEqualTo(1);

            String registration = "{\"completeDataSetRegistrations\":[{\"dataSet\":\"" + world.dataSet
                    + "\",\"period\":\"202401\",\"organisationUnit\":\"" + world.ou + "\",\"completed\":true}]}";
            HttpResponse<byte[]> completed = world.post("/api/completeDataSetRegistrations", "application/json",
                    AggregateHttp.gzip(registration.getBytes(StandardCharsets.UTF_8)));
            assertThat(completed.statusCode()).isEqualTo(200);
            assertThat(json(completed).path("response").path("importCount").path("imported").asInt()).isEqualTo(1);
        }
    }

    @Test
    @Contract("NET-10")
    void compressedExportsAreFilesWithoutContentEncoding() throws Exception {
        try (World world = new World(41)) {
            world.post("/api/dataValueSets", "application/json", world.value("202401", "4")
                    .getBytes(StandardCharsets.UTF_8));
            String query = "/api/dataValueSets?dataSet=" + world.dataSet + "&orgUnit=" + world.ou
                    + "&startDate=2000-01-01&endDate=2100-01-01";
            HttpResponse<byte[]> gzip = world.get(query + "&compression=gzip");
            assertThat(gzip.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(gzip.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(gzip.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=dataValues.json.gz");
            assertThat(AggregateHttp.gunzipJson(gzip.body()).path("dataValues")).hasSize(1);

            HttpResponse<byte[]> zip = world.get(query + "&compression=zip");
            assertThat(zip.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(zip.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=dataValues.json.zip");
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
                assertThat(in.getNextEntry().getName()).isEqualTo("dataValues.json");
                assertThat(SandboxJson.MAPPER.readTree(in.readAllBytes()).path("dataValues")).hasSize(1);
            }
        }
    }

    @Test
    @Contract("NET-11")
    void csvDataValuesAreImportedByColumnPositionLikeJson() throws Exception {
        try (World world = new World(41)) {
            String header = "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,"
                    + "followup,deleted\n";
            String row = world.de + ",202401," + world.ou + "," + world.coc + ",,7,,,\"a, quoted\"\"comment\",false\n";
            HttpResponse<byte[]> imported = world.post("/api/dataValueSets", "application/csv",
                    (header + row + world.de + ",202402," + world.ou + ",,,8\n").getBytes(StandardCharsets.UTF_8));
            JsonNode summary = json(imported).path("response");
            assertThat(summary.path("importCount").path("imported").asInt()).as(summary.toString()).isEqualTo(2);
            assertThat(world.instance.aggregate().size()).isEqualTo(2);
            String export = "/api/dataValueSets?dataSet=" + world.dataSet + "&orgUnit=" + world.ou
                    + "&startDate=2000-01-01&endDate=2100-01-01";
            JsonNode values = json(world.get(export)).path("dataValues");
            assertThat(values).anySatisfy(v -> assertThat(v.path("comment").asText()).isEqualTo("a, quoted\"comment"));

            // gzip CSV, no header row (firstRowIsHeader=false), deleted column (index 10) and a conflict
            String rows = world.de + ",202401," + world.ou + "," + world.coc + ",,,,,,false,true\n"
                    + world.de + ",202403," + world.ou + "," + world.coc + ",,not-a-number\n";
            HttpResponse<byte[]> second = world.post("/api/dataValueSets?firstRowIsHeader=false", "application/csv",
                    AggregateHttp.gzip(rows.getBytes(StandardCharsets.UTF_8)));
            JsonNode counts = json(second).path("response");
            assertThat(counts.path("importCount").path("deleted").asInt()).as(counts.toString()).isEqualTo(1);
            assertThat(counts.path("importCount").path("ignored").asInt()).isEqualTo(1);
            assertThat(counts.path("conflicts").get(0).path("indexes").get(0).asInt())
                    .as("0-based index among the values, as for JSON").isEqualTo(1);
            assertThat(json(world.get(export)).path("dataValues")).hasSize(1);
        }
    }
}
