package org.dhis2.sync.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dhis2.sync.aggregate.AggregateScope;

/**
 * The limit a sync of data values can reach between two DHIS2 instances: export once from local
 * /api/dataValueSets, cut the stream into pages of the same size as the engine's (copying each value's bytes as they
 * are, no parsing into objects), POST every page to central and read the answer without judging it. No bookkeeping.
 */
final class RawCopy {

    /** What one copy did. */
    record Result(long values, long pages, long bytes, long millis, long non2xx) {
        double perSecond() {
            return values * 1000.0 / Math.max(1, millis);
        }
    }

    private static final byte[] KEY = "\"dataValues\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = {','};
    private static final byte[] PAGE_START = "{\"dataValues\":[".getBytes(StandardCharsets.US_ASCII);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String auth = "Basic " + Base64.getEncoder()
            .encodeToString("admin:district".getBytes(StandardCharsets.UTF_8));
    private final String localUrl;

    RawCopy(String localUrl) {
        this.localUrl = localUrl;
    }

    /** The export URL of every value of the local instance (same scope as the engine's first run). */
    String exportUrl() throws IOException, InterruptedException {
        String dataSets = get(localUrl + "/api/dataSets?paging=false&fields=id");
        String me = get(localUrl + "/api/me");
        return localUrl + "/api/dataValueSets?" + AggregateScope.query(AggregateScope.ids(dataSets, "dataSets"),
                AggregateScope.ids(me, "organisationUnits")) + "&lastUpdated=1970-01-01&includeDeleted=true";
    }

    /** Reads the whole export and drops it: how fast the sandbox serves it. */
    Result exportOnly() throws IOException, InterruptedException {
        String url = exportUrl();
        long t0 = System.nanoTime();
        long bytes;
        try (InputStream in = open(url)) {
            bytes = in.transferTo(OutputStream.nullOutputStream());
        }
        return new Result(0, 0, bytes, (System.nanoTime() - t0) / 1_000_000, 0);
    }

    /** Copies every value to central in pages of pageSize values. */
    Result copy(String centralUrl, int pageSize) throws IOException, InterruptedException {
        String url = exportUrl();
        long t0 = System.nanoTime();
        ByteArrayOutputStream page = new ByteArrayOutputStream(1 << 20);
        long values = 0;
        long pages = 0;
        long bytes = 0;
        long non2xx = 0;
        int inPage = 0;
        int matched = 0;
        boolean inArray = false;
        boolean done = false;
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = open(url)) {
            for (int n; !done && (n = in.read(buf)) > 0; ) {
                bytes += n;
                int objectStart = depth > 0 ? 0 : -1; // a value cut by the previous read continues here
                for (int i = 0; i < n && !done; i++) {
                    byte b = buf[i];
                    if (!inArray) {
                        if (matched == KEY.length) {
                            inArray = b == '[';
                        } else {
                            matched = b == KEY[matched] ? matched + 1 : (b == KEY[0] ? 1 : 0);
                        }
                        continue;
                    }
                    if (depth == 0) {
                        if (b == '{') {
                            page.write(inPage == 0 ? PAGE_START : COMMA, 0, inPage == 0 ? PAGE_START.length : 1);
                            objectStart = i;
                            depth = 1;
                        } else if (b == ']') {
                            done = true;
                        }
                        continue;
                    }
                    if (inString) {
                        if (escaped) {
                            escaped = false;
                        } else if (b == '\\') {
                            escaped = true;
                        } else if (b == '"') {
                            inString = false;
                        }
                    } else if (b == '"') {
                        inString = true;
                    } else if (b == '{') {
                        depth++;
                    } else if (b == '}' && --depth == 0) {
                        page.write(buf, objectStart, i + 1 - objectStart); // the value's bytes as they came
                        objectStart = -1;
                        values++;
                        if (++inPage == pageSize) {
                            non2xx += post(centralUrl, page);
                            pages++;
                            inPage = 0;
                        }
                    }
                }
                if (objectStart >= 0) {
                    page.write(buf, objectStart, n - objectStart);
                }
            }
        }
        if (inPage > 0) {
            non2xx += post(centralUrl, page);
            pages++;
        }
        return new Result(values, pages, bytes, (System.nanoTime() - t0) / 1_000_000, non2xx);
    }

    /** POSTs the page and reads the answer whole (not judged); returns 1 when the status was not 2xx. */
    private int post(String centralUrl, ByteArrayOutputStream page) throws IOException, InterruptedException {
        page.write(']');
        page.write('}');
        HttpRequest req = HttpRequest.newBuilder(URI.create(centralUrl + "/api/dataValueSets"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(page.toByteArray())).build();
        page.reset();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() >= 500) {
            throw new IOException("central answered " + r.statusCode() + " to a raw page");
        }
        return r.statusCode() / 100 == 2 ? 0 : 1;
    }

    private InputStream open(String url) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("GET " + url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private String get(String url) throws IOException, InterruptedException {
        try (InputStream in = open(url)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
