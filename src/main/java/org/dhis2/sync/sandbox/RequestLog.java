package org.dhis2.sync.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Every request an instance received, so tests can assert what the engine sent (and what it did not). */
public final class RequestLog {

    /**
     * One request; {@code body} is kept only while body recording is on (tests), never in benchmarks. The two
     * {@link System#nanoTime()} stamps say when the request arrived and when its answer started
     * (an entry is added then, before the client can read a byte of the answer). {@code requestId} is the
     * request's X-Request-ID header (null without one): what a DHIS2 behind nginx would log, and tests match the
     * engine's request ledger against.
     */
    public record Entry(long number, String method, String path, String query, int status, byte[] body,
                        long receivedNanos, long answeredNanos, String requestId) {
        /** The body as DHIS2's sniffing imports read it: gzip or zip unwrapped by its magic bytes ({@link #body} is raw). */
        public String bodyText() {
            if (body == null) {
                return "";
            }
            try (java.io.InputStream in = CompressionSniffer.unwrap(new java.io.ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return new String(body, StandardCharsets.UTF_8);
            }
        }

        /** True when the raw body starts with gzip's magic bytes 1F 8B (what DHIS2 sniffs). */
        public boolean gzipped() {
            return body != null && body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
        }

        public Map<String, List<String>> params() {
            return SandboxRequest.parseQuery(query);
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private volatile boolean recordBodies = true;

    public void setRecordBodies(boolean recordBodies) {
        this.recordBodies = recordBodies;
    }

    public boolean recordBodies() {
        return recordBodies;
    }

    void add(Entry entry) {
        entries.add(entry);
    }

    public List<Entry> all() {
        return List.copyOf(entries);
    }

    public List<Entry> matching(String method, String pathPrefix) {
        Predicate<Entry> p = e -> e.method().equalsIgnoreCase(method) && e.path().startsWith(pathPrefix);
        return entries.stream().filter(p).toList();
    }

    public long count(String method, String pathPrefix) {
        return matching(method, pathPrefix).size();
    }

    /** The most of these requests that were being handled at the same moment (what a client sent in parallel). */
    public static int maxConcurrent(List<Entry> requests) {
        List<long[]> edges = new java.util.ArrayList<>();
        for (Entry e : requests) {
            edges.add(new long[] {e.receivedNanos(), 1});
            edges.add(new long[] {e.answeredNanos(), -1});
        }
        // at the same instant an answer ends before the next request counts
        edges.sort(java.util.Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
        int now = 0;
        int max = 0;
        for (long[] edge : edges) {
            now += (int) edge[1];
            max = Math.max(max, now);
        }
        return max;
    }

    public void clear() {
        entries.clear();
    }
}
