package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulated link in front of an instance: bandwidth, round trip, proxy limits, byte counters, presets. */
class LinkTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long RATE = 1_000_000; // bytes per second: 200 KB take 200 ms

    private Dhis2Instance instance;
    private SandboxServer server;
    private String de;
    private String coc;
    private String ou;
    private boolean generated;

    @BeforeEach
    void start() throws IOException {
        instance = new Dhis2Instance("central", Dhis2Version.of(41));
        MetadataGenerator.generate(instance, GeneratorSpec.small());
        server = SandboxServer.start(instance);
        de = instance.catalog().list("dataElements").stream()
                .filter(d -> "INTEGER".equals(d.path("valueType").asText())
                        || "NUMBER".equals(d.path("valueType").asText()))
                .findFirst().orElseThrow().path("id").asText();
        String combo = instance.catalog().get("dataElements", de).orElseThrow().path("categoryCombo").path("id")
                .asText();
        coc = instance.catalog().get("categoryCombos", combo).orElseThrow().path("categoryOptionCombos").get(0)
                .path("id").asText();
        ou = instance.catalog().list("organisationUnits").stream().filter(o -> o.path("level").asInt() == 3)
                .findFirst().orElseThrow().path("id").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String oneValue(String period, String value) {
        return "{\"dataValues\":[{\"dataElement\":\"" + de + "\",\"period\":\"" + period + "\",\"orgUnit\":\"" + ou
                + "\",\"categoryOptionCombo\":\"" + coc + "\",\"value\":\"" + value + "\"}]}";
    }

    /** A valid data value set padded with an ignored field to about {@code size} bytes. */
    private byte[] paddedSet(int size) {
        String set = oneValue("202401", "5");
        String padded = set.substring(0, set.length() - 1) + ",\"padding\":\"" + "x".repeat(size - set.length() - 14)
                + "\"}";
        return padded.getBytes(StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("admin:district".getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return HTTP.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long millis(Callable<?> call) throws Exception {
        long start = System.nanoTime();
        call.call();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A large answer (100 KB and more): an export of generated data values. */
    private String bigGet() {
        if (!generated) {
            AggregateGenerator.generate(instance, GeneratorSpec.small().withDataValues(2_000));
            generated = true;
        }
        return "/api/dataValueSets?dataSet=" + instance.catalog().list("dataSets").get(0).path("id").asText()
                + "&orgUnit=" + instance.userOrgUnits().get(0) + "&children=true&startDate=2000-01-01"
                + "&endDate=2100-01-01";
    }

    @Test
    @Contract("NET-1")
    void requestAndAnswerBodiesCrossTheLineAtItsBandwidth() throws Exception {
        // the whole exchange takes the transfer time (the instance's own work overlaps with it), within ± 30 %
        byte[] body = paddedSet(200_000);
        post("/api/dataValueSets", body); // warm up
        instance.setLink(Link.LAN.withBandwidth(RATE, 0));
        assertThat(millis(() -> post("/api/dataValueSets", body))).as("200 KB up at 1 MB/s").isBetween(140L, 260L);

        instance.setLink(Link.LAN);
        String bigGet = bigGet();
        int size = get(bigGet).body().length;
        assertThat(size).isGreaterThan(30_000);
        long rate = size * 10L / 3; // 300 ms
        instance.setLink(Link.LAN.withBandwidth(0, rate));
        assertThat(millis(() -> get(bigGet))).as(size + " bytes down at " + rate + " B/s").isBetween(210L, 390L);
    }

    @Test
    @Contract("NET-1")
    void parallelRequestsShareOneLine() throws Exception {
        String bigGet = bigGet();
        int size = get(bigGet).body().length;
        long rate = size * 10L; // 100 ms each alone
        instance.setLink(Link.LAN.withBandwidth(0, rate));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            long both = millis(() -> {
                List<Future<HttpResponse<byte[]>>> calls = pool.invokeAll(List.of(() -> get(bigGet),
                        () -> get(bigGet), () -> get(bigGet), () -> get(bigGet)));
                for (Future<HttpResponse<byte[]>> call : calls) {
                    assertThat(call.get().statusCode()).isEqualTo(200);
                }
                return null;
            });
            assertThat(both).as("4 × 100 ms on one line").isBetween(320L, 600L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Contract("NET-2")
    void eachRequestTakesOneRoundTripWithinTheJitter() throws Exception {
        get("/api/system/ping");
        long plain = millis(() -> get("/api/system/ping"));
        instance.setLink(Link.LAN.withRtt(Duration.ofMillis(200), Duration.ZERO));
        assertThat(millis(() -> get("/api/system/ping")) - plain).isBetween(190L, 280L);

        instance.setLink(Link.LAN.withRtt(Duration.ofMillis(150), Duration.ofMillis(100)));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 6; i++) {
            long t = millis(() -> get("/api/system/ping"));
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        assertThat(min).isGreaterThanOrEqualTo(45L);
        assertThat(max).isLessThan(360L);
        assertThat(max - min).as("jitter varies the round trip").isGreaterThan(5L);
    }

    @Test
    @Contract("NET-3")
    void aBodyOverTheProxyLimitIs413BeforeTheInstanceSeesIt() throws Exception {
        instance.setLink(Link.LAN.withBodyLimit(1_000));
        HttpResponse<byte[]> refused = post("/api/dataValueSets", paddedSet(5_000));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(new String(refused.body(), StandardCharsets.US_ASCII))
                .startsWith("<html>\r\n<head><title>413 Request Entity Too Large</title></head>")
                .contains("<hr><center>nginx</center>");

        // chunked (no Content-Length): nginx counts the bytes while it buffers the body
        HttpResponse<byte[]> chunked = HTTP.send(request("/api/dataValueSets").header("Content-Type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(paddedSet(5_000)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(instance.aggregate().size()).as("nothing imported").isZero();
        assertThat(instance.requests().all()).as("the instance never saw them").isEmpty();

        HttpResponse<byte[]> small = post("/api/dataValueSets", oneValue("202402", "7").getBytes(StandardCharsets.UTF_8));
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(instance.aggregate().size()).isEqualTo(1);
    }

    @Test
    @Contract("NET-4")
    void aSlowAnswerIs504FromTheProxyButTheImportHappens() throws Exception {
        get("/api/system/ping"); // warm up
        instance.setLink(Link.LAN.withProxyTimeout(Duration.ofMillis(200)));
        instance.faults().setLatency(Duration.ofMillis(700));
        long[] took = new long[1];
        HttpResponse<byte[]> answer = timed(took,
                () -> post("/api/dataValueSets", oneValue("202403", "9").getBytes(StandardCharsets.UTF_8)));
        assertThat(answer.statusCode()).isEqualTo(504);
        assertThat(new String(answer.body(), StandardCharsets.US_ASCII))
                .contains("<title>504 Gateway Time-out</title>");
        assertThat(took[0]).as("answered at the proxy timeout, not when the import ended").isLessThan(600L);
        assertThat(instance.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(instance.aggregate().size()).as("the import went on behind the proxy").isEqualTo(1);
        assertThat(instance.requests().matching("POST", "/api/dataValueSets")).singleElement()
                .satisfies(e -> assertThat(e.status()).as("what the instance answered").isEqualTo(200));

        instance.faults().setLatency(Duration.ZERO);
        assertThat(post("/api/dataValueSets", oneValue("202404", "9").getBytes(StandardCharsets.UTF_8))
                .statusCode()).as("in time").isEqualTo(200);
    }

    private static <T> T timed(long[] took, Callable<T> call) throws Exception {
        long start = System.nanoTime();
        T result = call.call();
        took[0] = (System.nanoTime() - start) / 1_000_000;
        return result;
    }

    @Test
    @Contract("NET-5")
    void bytesAreCountedPerDirectionAndReset() throws Exception {
        instance.setLink(Link.LAN.withBandwidth(10_000_000, 10_000_000));
        byte[] body = paddedSet(20_000);
        HttpResponse<byte[]> answer = post("/api/dataValueSets", body);
        assertThat(instance.awaitIdle(Duration.ofSeconds(5))).as("the server closed the exchange").isTrue();
        LinkLine.Traffic traffic = instance.linkTraffic();
        assertThat(traffic.requests()).isEqualTo(1);
        assertThat(traffic.requestBytes() - body.length).as("request line and headers").isBetween(60L, 600L);
        assertThat(traffic.responseBytes() - answer.body().length).as("status line and headers")
                .isBetween(40L, 600L);
        assertThat(traffic.totalBytes()).isEqualTo(traffic.requestBytes() + traffic.responseBytes());
        instance.resetLinkTraffic();
        assertThat(instance.linkTraffic()).isEqualTo(new LinkLine.Traffic(0, 0, 0));
    }

    /** The benchmark figure "central's peak concurrent requests" (B9): requests served at once, since the reset. */
    @Test
    void thePeakOfRequestsServedAtOnceIsCounted() throws Exception {
        instance.setLink(Link.LAN.withRtt(Duration.ofMillis(400), Duration.ZERO));
        instance.resetLinkTraffic();
        get("/api/system/info");
        assertThat(instance.linkTraffic().peakInFlight()).as("one after the other").isEqualTo(1);
        java.util.concurrent.ExecutorService three = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(three.submit(() -> get("/api/system/info")));
            }
            for (java.util.concurrent.Future<?> call : calls) {
                call.get();
            }
        } finally {
            three.shutdown();
        }
        assertThat(instance.linkTraffic().peakInFlight()).as("three at once, each 400 ms").isBetween(2, 3);
        instance.resetLinkTraffic();
        assertThat(instance.linkTraffic().peakInFlight()).isZero();
    }

    @Test
    @Contract("NET-6")
    void theProxyGzipsJsonForAClientThatAcceptsIt() throws Exception {
        String bigGet = bigGet();
        instance.setLink(Link.LAN.withProxyGzip(true));
        HttpResponse<byte[]> plain = get(bigGet);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        instance.resetLinkTraffic();
        HttpResponse<byte[]> gzipped = HTTP.send(request(bigGet).header("Accept-Encoding", "gzip").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(AggregateHttp.gunzipJson(gzipped.body())).isEqualTo(SandboxJson.MAPPER.readTree(plain.body()));
        assertThat(instance.linkTraffic().responseBytes()).as("compressed bytes on the wire")
                .isLessThan(plain.body().length / 3);
    }

    @Test
    @Contract("NET-7")
    void presetsHaveTheirDocumentedFigures() {
        assertThat(Link.preset("lan")).isEqualTo(Link.LAN);
        Link threeG = Link.preset("3g");
        assertThat(threeG.downBytesPerSecond()).isEqualTo(200_000); // 1.6 Mbit/s
        assertThat(threeG.upBytesPerSecond()).isEqualTo(96_000); // 768 kbit/s
        assertThat(threeG.rtt()).isEqualTo(Duration.ofMillis(300));
        Link vsat = Link.preset("VSAT");
        assertThat(vsat.downBytesPerSecond()).isEqualTo(250_000);
        assertThat(vsat.upBytesPerSecond()).isEqualTo(64_000);
        assertThat(vsat.rtt()).isEqualTo(Duration.ofMillis(600));
        assertThat(vsat.jitter()).isEqualTo(Duration.ofMillis(50));
        assertThat(Link.parseSize("10m")).isEqualTo(10L * 1024 * 1024);
        assertThat(Link.parseDuration("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Link.parseBandwidth("2mbit")).isEqualTo(250_000);
        assertThat(Link.LAN.proxied()).isFalse();
        assertThat(vsat.withBodyLimit(Link.parseSize("10m")).proxied()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Link.preset("5g"))
                .hasMessageContaining("lan, 3g or vsat");
    }
}
