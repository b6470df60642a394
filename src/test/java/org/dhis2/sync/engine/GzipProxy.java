package org.dhis2.sync.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * A reverse proxy in front of a sandbox instance that compresses JSON answers like nginx with the DHIS2 docs'
 * {@code gzip on; gzip_types application/json ...} (docs@2.42 reverse_proxy_nginx.md): an answer whose type is JSON
 * gets {@code Content-Encoding: gzip} when the request's {@code Accept-Encoding} lists gzip. Request bodies pass
 * through unchanged (nginx does not decode them). Every request is recorded with its Accept-Encoding and whether
 * its answer went compressed, so a test can prove what the client asked for and what it decoded.
 */
public final class GzipProxy implements AutoCloseable {

    /** One proxied request: its path, Accept-Encoding (null when absent), raw body and whether the answer was gzipped. */
    public record Seen(String method, String path, String acceptEncoding, byte[] body, boolean answerGzipped) {
        public boolean bodyGzipped() {
            return body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
        }
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private GzipProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(workers);
        server.start();
    }

    public static GzipProxy inFrontOf(String targetUrl) throws IOException {
        return new GzipProxy(targetUrl);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = URI.create(target + exchange.getRequestURI().toString());
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(exchange.getRequestMethod(),
                    body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : List.of("Authorization", "Content-Type", "Accept", "Content-Encoding")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
            String type = answer.headers().firstValue("Content-Type").orElse("");
            boolean gzip = accept != null && accept.contains("gzip") && type.contains("json")
                    && answer.body().length > 0;
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), accept, body, gzip));
            answer.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equalsIgnoreCase("connection") && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = answer.body();
            if (gzip) {
                ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
                    gz.write(out);
                }
                out = zipped.toByteArray();
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
