package org.dhis2.sync.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.Exchange;

/**
 * Gzips a request body for a central endpoint that accepts it (setting {@code central.compression}). DHIS2 does
 * not read {@code Content-Encoding}: {@code StreamUtils.wrapAndCheckCompressionFormat} recognises gzip by its magic
 * bytes 1F 8B, on {@code POST /api/dataValueSets} (JSON, CSV) and {@code /api/completeDataSetRegistrations} since
 * 2.31 and up to 2.42 (core@2.31.0..2.42.0 DefaultDataValueSetService,
 * DefaultCompleteDataSetRegistrationExchangeService). {@code POST /api/tracker} JSON is read without sniffing
 * (TrackerImportController), so the tracker routes never use this step. The body keeps its own Content-Type.
 */
public final class RequestCompression {

    private final boolean enabled;

    public RequestCompression(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Replaces the message body (bytes or text) with its gzip form when compression is on. */
    public void gzip(Exchange exchange) {
        if (!enabled) {
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null) {
            exchange.getMessage().setBody(gzip(body));
        }
    }

    public static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 6));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
