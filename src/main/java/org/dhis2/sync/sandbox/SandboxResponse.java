package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one answer. Bodies are streamed (chunked) unless small; a {@link Fault} of kind RESET_MID_BODY or
 * MALFORMED_BODY is applied here, after the handler did its work.
 */
public final class SandboxResponse {

    /** Writes a body to a stream. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a JSON body with a streaming generator. */
    @FunctionalInterface
    public interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }

    /** Thrown to make the server drop the connection without finishing the answer. */
    static final class ConnectionDropped extends RuntimeException {
        ConnectionDropped() {
            super("sandbox fault: connection dropped mid-body", null, false, false);
        }
    }

    private final HttpExchange exchange;
    private final Fault fault;
    private int status;
    private boolean committed;
    private final java.util.function.IntConsumer onCommit;
    /** Taken by whoever answers first: the handler, or the link's proxy when it gives up waiting (504). */
    private final java.util.concurrent.atomic.AtomicBoolean wire = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean proxyAnswered;
    private Runnable beforeWire = () -> { };
    private java.util.function.Predicate<String> gzipOnTheWay = contentType -> false;

    /** {@code onCommit} gets the status before the first byte goes out (the request log entry is made then). */
    SandboxResponse(HttpExchange exchange, Fault fault, java.util.function.IntConsumer onCommit) {
        this.exchange = exchange;
        this.fault = fault;
        this.onCommit = onCommit;
    }

    /** Runs before the answer's first byte goes out (the second half of the link's round trip). */
    void beforeWire(Runnable action) {
        this.beforeWire = action;
    }

    /** Whether the link's proxy gzips an answer of this content type on its way to the client. */
    void gzipOnTheWay(java.util.function.Predicate<String> byContentType) {
        this.gzipOnTheWay = byContentType;
    }

    /** The link's proxy answers instead (504); false if the handler's answer already started. */
    boolean takeWire() {
        proxyAnswered = wire.compareAndSet(false, true);
        return proxyAnswered;
    }

    public SandboxResponse header(String name, String value) {
        if (proxyAnswered) {
            return this; // the proxy's answer is out (or going out); the handler's headers go nowhere
        }
        exchange.getResponseHeaders().set(name, value);
        return this;
    }

    public void json(int httpStatus, JsonNode body) {
        try {
            bytes(httpStatus, "application/json;charset=UTF-8", SandboxJson.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void text(int httpStatus, String contentType, String body) {
        bytes(httpStatus, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 (or another status) with an empty body, as DHIS2 answers when a controller returns null. */
    public void empty(int httpStatus) {
        bytes(httpStatus, null, new byte[0]);
    }

    public void redirect(String location) {
        header("Location", location);
        bytes(302, null, new byte[0]);
    }

    public void bytes(int httpStatus, String contentType, byte[] body) {
        if (contentType != null) {
            header("Content-Type", contentType);
        }
        stream(httpStatus, contentType, out -> out.write(body), body.length);
    }

    /** A streamed JSON body (chunked transfer): nothing of the size of the body is buffered. */
    public void streamJson(int httpStatus, JsonWriter writer) {
        header("Content-Type", "application/json;charset=UTF-8");
        stream(httpStatus, "application/json;charset=UTF-8", out -> {
            try (JsonGenerator g = SandboxJson.FACTORY.createGenerator(out)) {
                writer.write(g);
            }
        }, -1);
    }

    public void stream(int httpStatus, String contentType, BodyWriter writer) {
        if (contentType != null) {
            header("Content-Type", contentType);
        }
        stream(httpStatus, contentType, writer, -1);
    }

    private void stream(int httpStatus, String contentType, BodyWriter writer, long knownLength) {
        if (committed) {
            throw new IllegalStateException("answer already sent");
        }
        committed = true;
        status = httpStatus;
        // a gateway's status replaces the handler's: the log shows what the client got
        onCommit.accept(fault != null && fault.kind() == Fault.Kind.STATUS_AFTER_HANDLING ? fault.status()
                : httpStatus);
        try {
            if (!wire.compareAndSet(false, true)) {
                writer.write(OutputStream.nullOutputStream()); // the proxy answered 504; the work still happens
                return;
            }
            beforeWire.run();
            if (knownLength != 0 && gzipOnTheWay.test(contentType)) {
                // nginx gzip: Content-Encoding gzip, chunked (the compressed length is not known in advance)
                header("Content-Encoding", "gzip");
                writer = gzipped(writer);
                knownLength = -1;
            }
            if (fault != null && (fault.kind() == Fault.Kind.RESET_MID_BODY || fault.kind() == Fault.Kind.MALFORMED_BODY
                    || fault.kind() == Fault.Kind.STATUS_AFTER_HANDLING)) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                writer.write(all);
                spoil(httpStatus, all.toByteArray());
                return;
            }
            exchange.sendResponseHeaders(httpStatus, knownLength == 0 ? -1 : Math.max(knownLength, 0));
            if (knownLength == 0) {
                exchange.getResponseBody().close();
                return;
            }
            try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024)) {
                writer.write(out);
            }
        } catch (IOException e) {
            throw new ConnectionDropped();
        }
    }

    private static BodyWriter gzipped(BodyWriter writer) {
        return out -> {
            java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out, 8 * 1024);
            writer.write(gzip);
            gzip.finish();
        };
    }

    private void spoil(int httpStatus, byte[] body) throws IOException {
        if (fault.kind() == Fault.Kind.STATUS_AFTER_HANDLING) {
            status = fault.status(); // the gateway's answer replaces the server's
            byte[] gateway = ("<html><body><h1>" + fault.status() + " " + WebMessages.reasonPhrase(fault.status())
                    + "</h1></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(fault.status(), gateway.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(gateway);
            }
            return;
        }
        if (fault.kind() == Fault.Kind.MALFORMED_BODY) {
            byte[] half = Arrays.copyOf(body, Math.max(1, body.length / 2));
            byte[] malformed = (new String(half, StandardCharsets.UTF_8) + "<html>502 Bad Gateway</html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(httpStatus, malformed.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(malformed);
            }
            return;
        }
        // announce the full length, send half, then drop the connection
        exchange.sendResponseHeaders(httpStatus, Math.max(body.length, 2));
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        throw new ConnectionDropped();
    }

    boolean committed() {
        return committed;
    }

    int status() {
        return status;
    }
}
