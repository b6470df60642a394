package org.dhis2.sync.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caps inside the HTTP client, over real HTTP: requests in flight to central, and request body bytes per second. */
class CentralLoadTest {

    private HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private String url;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                exchange.getRequestBody().readAllBytes();
                Thread.sleep(150);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CloseableHttpClient client(CentralLoad load) {
        HttpClientBuilder b = HttpClientBuilder.create().setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(50).setMaxConnPerRoute(50).build());
        load.configureHttpClient(b);
        return b.build();
    }

    private static void post(CloseableHttpClient client, String to, int bytes) throws Exception {
        HttpPost post = new HttpPost(to);
        post.setEntity(new ByteArrayEntity(new byte[bytes], ContentType.APPLICATION_JSON));
        client.execute(post, r -> {
            EntityUtils.consume(r.getEntity());
            return r.getCode();
        });
    }

    @Test
    void neverMoreRequestsInFlightToCentralThanTheCap() throws Exception {
        try (CloseableHttpClient client = client(new CentralLoad(url, 2, 0))) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(threads.submit(() -> {
                    post(client, url + "/api/dataValueSets", 100);
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            threads.shutdown();
        }
        assertThat(maxInFlight.get()).as("capped, and the cap is used").isEqualTo(2);
    }

    @Test
    void otherInstancesAreNotCapped() throws Exception {
        try (CloseableHttpClient client = client(new CentralLoad("http://central.example", 1, 0))) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(threads.submit(() -> {
                    post(client, url + "/api/dataValueSets", 100);
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            threads.shutdown();
        }
        assertThat(maxInFlight.get()).isGreaterThan(1);
    }

    @Test
    void requestBodiesAreSentNoFasterThanTheBandwidthCap() throws Exception {
        long start = System.nanoTime();
        try (CloseableHttpClient client = client(new CentralLoad(url, 4, 40_000))) {
            post(client, url + "/api/tracker", 60_000);
            post(client, url + "/api/tracker", 60_000);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        // 120 kB at 40 kB/s: at least the time of everything after the first 8 kB chunk
        assertThat(millis).isGreaterThanOrEqualTo((120_000 - 8_192) * 1000L / 40_000);
    }
}
