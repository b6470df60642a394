package org.dhis2.sync.reserved;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reserved value metrics per pool (labels pair, attribute, orgUnit — "" when the pattern has no ORG_UNIT_CODE):
 * {@code dhis2sync_reserved_values_pool_size} (values left, as last counted), and counters
 * {@code dhis2sync_reserved_values_reserved_total} (received from central), {@code …_handed_out_total} and
 * {@code …_expired_total} (dropped unused because they expired).
 */
public final class ReservedValueMetrics {

    private final MeterRegistry registry;
    private final String pair;
    private final Map<Pool, AtomicLong> sizes = new ConcurrentHashMap<>();

    public ReservedValueMetrics(MeterRegistry registry, String pair) {
        this.registry = registry;
        this.pair = pair;
    }

    void size(Pool pool, long size) {
        sizes.computeIfAbsent(key(pool), p -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("dhis2sync.reserved.values.pool.size", value, AtomicLong::get)
                    .description("Reserved values left in the pool, as last counted")
                    .tags("pair", pair, "attribute", p.attribute(), "orgUnit", p.orgUnitCode()).register(registry);
            return value;
        }).set(size);
    }

    /** The pool's size as last counted, or -1 when it was never counted. */
    long size(Pool pool) {
        AtomicLong size = sizes.get(key(pool));
        return size == null ? -1 : size.get();
    }

    void reserved(Pool pool, long n) {
        counter("dhis2sync.reserved.values.reserved", "Values central reserved for the pool", pool).increment(n);
    }

    void handedOut(Pool pool, long n) {
        counter("dhis2sync.reserved.values.handed.out", "Values handed out from the pool", pool).increment(n);
        AtomicLong size = sizes.get(key(pool));
        if (size != null) {
            size.addAndGet(-n);
        }
    }

    void expired(Pool pool, long n) {
        counter("dhis2sync.reserved.values.expired", "Values dropped unused because they expired", pool)
                .increment(n);
    }

    private Counter counter(String name, String description, Pool pool) {
        return Counter.builder(name).description(description)
                .tags("pair", pair, "attribute", pool.attribute(), "orgUnit", pool.orgUnitCode()).register(registry);
    }

    /** Sizes are per attribute and org unit, whatever the pattern. */
    private static Pool key(Pool pool) {
        return new Pool(pool.attribute(), pool.orgUnitCode(), "");
    }
}
