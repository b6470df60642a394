package org.dhis2.sync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The nginx reverse proxy of a {@link Link}: it buffers the request body before passing it on (nginx
 * {@code proxy_request_buffering on}, the default), refuses one over {@code client_max_body_size} with 413 before the
 * instance sees anything, answers 504 when the instance's answer is not ready within {@code proxy_read_timeout},
 * and gzips answers on the way like {@code gzip on} with the DHIS2 docs' {@code gzip_types}. Its error pages are
 * nginx's built-in ones (src/http/ngx_http_special_response.c).
 */
final class LinkProxy {

    /** nginx {@code lingering_time} default: how long it goes on reading (and discarding) a refused body. */
    static final Duration LINGERING_TIME = Duration.ofSeconds(30);

    /** Content types the DHIS2 nginx guide lists in {@code gzip_types} (CSV is not among them). */
    private static final Set<String> GZIP_TYPES = Set.of("text/plain", "text/css", "text/xml", "text/javascript",
            "application/json", "application/javascript", "application/x-javascript", "application/xml",
            "application/xml+rss", "text/html");

    private LinkProxy() {
    }

    /**
     * Reads the whole request body; null when it is larger than {@code limit} (0 = none): by its Content-Length
     * before a byte is read, else (chunked) as soon as the bytes read pass the limit.
     */
    static byte[] buffer(HttpExchange exchange, long limit) throws IOException {
        InputStream in = exchange.getRequestBody();
        if (limit > 0) {
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            if (length != null && Long.parseLong(length.trim()) > limit) {
                return null;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            body.write(buf, 0, n);
            if (limit > 0 && body.size() > limit) {
                return null;
            }
        }
        return body.toByteArray();
    }

    /** nginx's 413 page, then it reads and discards the rest of the body for at most the lingering time. */
    static void refuseTooLarge(HttpExchange exchange) throws IOException {
        OutputStream out = answer(exchange, 413, "Request Entity Too Large");
        long until = System.nanoTime() + LINGERING_TIME.toNanos();
        InputStream in = exchange.getRequestBody();
        byte[] buf = new byte[16 * 1024];
        while (System.nanoTime() < until && in.read(buf) > 0) {
            // discarded, as nginx's lingering close does
        }
        out.close();
    }

    /**
     * nginx {@code proxy_read_timeout}: the handler runs on a worker; if its answer has not started in time the
     * client gets 504 (after {@code answerDelay}, the link's way back) and the handler's answer, when it comes, goes
     * nowhere (the import still happens, as behind a real proxy). Returns when the handler is done.
     */
    static void handleWithTimeout(ExecutorService workers, HttpExchange exchange, Runnable handling,
                                  SandboxResponse response, Duration timeout, Runnable answerDelay)
            throws IOException {
        java.time.ZoneId zone = Dhis2Dates.zone();
        Future<?> work = workers.submit(() -> Dhis2Dates.inZone(zone, handling));
        try {
            try {
                work.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                if (response.takeWire()) {
                    answerDelay.run();
                    gatewayTimeout(exchange);
                    exchange.close();
                }
            }
            work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxResponse.ConnectionDropped();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** nginx's 504 page: the instance did not start its answer within the proxy timeout. */
    static void gatewayTimeout(HttpExchange exchange) throws IOException {
        answer(exchange, 504, "Gateway Time-out").close();
    }

    static String page(int status, String reason) {
        return "<html>\r\n<head><title>" + status + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>" + status
                + " " + reason + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }

    private static OutputStream answer(HttpExchange exchange, int status, String reason) throws IOException {
        byte[] body = page(status, reason).getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Server", "nginx");
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(status, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body);
        out.flush();
        return out;
    }

    /** Whether nginx {@code gzip on} compresses this answer: the client accepts gzip and the type is listed. */
    static boolean gzips(Link link, SandboxRequest request, String contentType) {
        if (!link.proxyGzip() || contentType == null) {
            return false;
        }
        String accept = request.header("Accept-Encoding").orElse("").toLowerCase(Locale.ROOT);
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return accept.contains("gzip") && GZIP_TYPES.contains(type);
    }
}
