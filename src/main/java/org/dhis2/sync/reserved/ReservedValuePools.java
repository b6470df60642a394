package org.dhis2.sync.reserved;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.dhis2.sync.config.ReservedValueSettings;

/**
 * Filling pools, shared by the job (routes/reserved-values.camel.yaml) and the hand-out
 * (routes/reserved-values-handout.camel.yaml): as the Android SDK, drop values of another pattern and expired ones,
 * count, and when fewer than the threshold are left ask central for enough to reach the limit. One fill per pool at a
 * time (a lock per pool, held from {@link #startFill} to {@link #endFill}), so concurrent hand-outs do not each ask
 * central for the same missing values. The pool being filled is the exchange variable {@value #POOL}.
 */
public final class ReservedValuePools {

    public static final String POOL = "rsvPool";
    /** Values the caller needs at once (a hand-out of N); the pool is filled when it has fewer. */
    public static final String WANTED = "rsvWanted";
    /** true: wait for a fill of the same pool in progress (the job); false: give up after a few seconds. */
    public static final String WAIT = "rsvWait";
    static final String RESERVED = "rsvReserved";
    /** Set by {@link #startFill}: whether to call central now. */
    public static final String FILL = "rsvFill";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PER_REQUEST = 1000; // DHIS2's limit of one generateAndReserve

    private final PoolTable table;
    private final ReservedValueSettings settings;
    private final ReservedValueMetrics metrics;
    private final Map<Pool, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Pools by label: every pool the job planned or a hand-out used (metrics, health). */
    private final Map<String, Pool> known = new ConcurrentHashMap<>();
    /** Why the last fill of a pool failed; removed when a fill succeeds. */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

    public ReservedValuePools(PoolTable table, ReservedValueSettings settings, ReservedValueMetrics metrics) {
        this.table = table;
        this.settings = settings;
        this.metrics = metrics;
    }

    public ReservedValueSettings settings() {
        return settings;
    }

    PoolTable table() {
        return table;
    }

    ReservedValueMetrics metrics() {
        return metrics;
    }

    /**
     * Locks the pool, drops stale values, counts; sets variable {@value #FILL} true (lock kept, request prepared:
     * variable rsvAttribute and the query header) when it needs values from central, else false (lock released).
     * A bean step, not a predicate: Camel evaluates predicates on a copy of the exchange.
     */
    public void startFill(Exchange exchange) throws InterruptedException {
        exchange.setVariable(FILL, needsFill(exchange));
    }

    private boolean needsFill(Exchange exchange) throws InterruptedException {
        Pool pool = exchange.getVariable(POOL, Pool.class);
        int wanted = exchange.getVariable(WANTED, 0, Integer.class);
        ReentrantLock lock = locks.computeIfAbsent(new Pool(pool.attribute(), pool.orgUnitCode(), ""),
                p -> new ReentrantLock());
        if (exchange.getVariable(WAIT, true, Boolean.class)) {
            lock.lockInterruptibly();
        } else if (!lock.tryLock(settings.handoutFillWaitMillis(), TimeUnit.MILLISECONDS)) {
            return false; // another fill of this pool is slow (retrying): hand out what is there
        }
        try {
            int left = tidy(pool);
            int target = Math.max(settings.limit(), wanted);
            if (left >= Math.max(settings.threshold(), wanted)) {
                lock.unlock();
                return false;
            }
            int number = Math.min(MAX_PER_REQUEST, target - left);
            StringBuilder query = new StringBuilder("numberToReserve=").append(number);
            if (!pool.orgUnitCode().isEmpty()) {
                query.append("&ORG_UNIT_CODE=").append(URLEncoder.encode(pool.orgUnitCode(), StandardCharsets.UTF_8));
            }
            // nothing of the caller's request (a hand-out's path, credentials) may reach central
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setBody(null);
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query.toString());
            exchange.setVariable("rsvAttribute", pool.attribute());
            exchange.setVariable("rsvQuery", query.toString());
            return true;
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /** Drops values of another pattern and expired ones, counts what is left (metrics); returns the count. */
    int tidy(Pool pool) {
        known.put(pool.label(), pool);
        table.purgeOtherPatterns(pool);
        int expired = table.purgeExpired(pool);
        if (expired > 0) {
            metrics.expired(pool, expired);
        }
        int left = table.count(pool);
        metrics.size(pool, left);
        return left;
    }

    /** Stores central's generateAndReserve answer (an array of ReservedValue) in the pool. */
    public void store(Exchange exchange) throws Exception {
        Pool pool = exchange.getVariable(POOL, Pool.class);
        JsonNode answer = JSON.readTree(exchange.getMessage().getBody(String.class));
        List<PoolTable.Value> values = new ArrayList<>();
        for (JsonNode v : answer.isArray() ? answer : JSON.createArrayNode().add(answer)) {
            LocalDateTime created = centralTime(v.path("created").asText());
            Instant validUntil = CurrentDateExpiry.firstInvalidDay(pool.pattern(), created.toLocalDate())
                    .map(day -> day.atStartOfDay(ZoneId.systemDefault()).toInstant()).orElse(null);
            values.add(new PoolTable.Value(v.path("key").asText(), v.path("value").asText(),
                    created.toInstant(ZoneOffset.UTC), centralTime(v.path("expiryDate").asText())
                    .toInstant(ZoneOffset.UTC), validUntil));
        }
        table.insert(pool, values);
        metrics.reserved(pool, values.size());
        metrics.size(pool, table.count(pool));
        lastFailure.remove(pool.label());
        exchange.setVariable(RESERVED, values.size());
    }

    /** A fill failed: remembered for the health check and the job summary; returns the reason in words. */
    public String fillFailed(Exchange exchange) {
        Pool pool = exchange.getVariable(POOL, Pool.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = reason(e);
        lastFailure.put(pool.label(), reason);
        exchange.setVariable("rsvFailure", reason);
        return reason;
    }

    /** Releases the pool's lock if this thread holds it (doFinally of every fill). */
    public void endFill(Exchange exchange) {
        Pool pool = exchange.getVariable(POOL, Pool.class);
        ReentrantLock lock = locks.get(new Pool(pool.attribute(), pool.orgUnitCode(), ""));
        if (lock != null && lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    /** Known pools below the threshold whose last fill failed: label → "N left: reason". */
    public Map<String, String> starving() {
        Map<String, String> result = new java.util.TreeMap<>();
        known.forEach((label, pool) -> {
            long size = metrics.size(pool);
            String failure = lastFailure.get(label);
            if (failure != null && size >= 0 && size < settings.threshold()) {
                result.put(label, size + " left: " + failure);
            }
        });
        return result;
    }

    /** Whether a failed fill says central is out of reach or not serving (no answer, 5xx, 429), not a refusal. */
    static boolean unreachable(Exception e) {
        return e instanceof HttpOperationFailedException h ? h.getStatusCode() >= 500 || h.getStatusCode() == 429
                : e != null;
    }

    /** DHIS2 answers times without offset in its server's zone; read as UTC (days matter here, not hours). */
    static LocalDateTime centralTime(String text) {
        if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            return OffsetDateTime.parse(text.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"))
                    .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return LocalDateTime.parse(text);
    }

    /** Central's answer in words: its status and WebMessage message, or the network fault; never a secret. */
    static String reason(Exception e) {
        if (e instanceof HttpOperationFailedException h) {
            String message = null;
            try {
                message = JSON.readTree(h.getResponseBody()).path("message").asText(null);
            } catch (Exception ignored) {
                // not a WebMessage: the status says enough
            }
            return "central answered " + h.getStatusCode() + (message == null ? "" : " " + message);
        }
        if (e == null) {
            return "unknown failure";
        }
        return "central could not be reached (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
    }
}
