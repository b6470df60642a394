package org.dhis2.sync.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scripted faults per endpoint and per request number. Example: "page 2 of 5 fails twice, then succeeds":
 * {@code faults.on("POST", "/api/dataValueSets").requests(2, 3).fail(Fault.status(503))}.
 * Request numbers count the requests matching the rule's method and path, from 1, since the rule was added.
 */
public final class FaultPlan {

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Set<String> rejectedUids = ConcurrentHashMap.newKeySet();
    private volatile Duration latency = Duration.ZERO;
    private final Set<String> unconfirmedUids = ConcurrentHashMap.newKeySet();
    private volatile Duration trackerCommitDelay = Duration.ZERO;

    /** Starts a rule for requests whose method matches ({@code *} = any) and whose path starts with the prefix. */
    public RuleBuilder on(String method, String pathPrefix) {
        return new RuleBuilder(method, pathPrefix);
    }

    /** Added latency on every request (benchmarks: a slow field link). */
    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    public Duration latency() {
        return latency;
    }

    /**
     * Objects (by UID, or a data value's data element / org unit UID) that the importing handlers reject with a
     * 409-style conflict, as a central with different metadata would.
     */
    public Set<String> rejectedUids() {
        return rejectedUids;
    }

    /**
     * Objects (by UID) the tracker importer imports but leaves out of its report, so that the answer does not
     * confirm them (as real 2.41 does for an existing relationship it ignores).
     */
    public Set<String> unconfirmedUids() {
        return unconfirmedUids;
    }

    /**
     * How long a tracker import takes between stamping its objects' updatedAt and committing them: until then the
     * objects are invisible to exports, and then they appear with a time in the past, as DHIS2's importer stamps
     * objects while converting them (TrackedEntityTrackerConverterService, "now") and commits the whole bundle at the
     * end of its transaction (DefaultTrackerBundleService.commit).
     */
    public Duration trackerCommitDelay() {
        return trackerCommitDelay;
    }

    public void setTrackerCommitDelay(Duration delay) {
        this.trackerCommitDelay = delay;
    }

    public void clear() {
        rules.clear();
        rejectedUids.clear();
        unconfirmedUids.clear();
        trackerCommitDelay = Duration.ZERO;
        latency = Duration.ZERO;
    }

    /** The fault for this request, if a rule matches it (each matching rule counts the request). */
    public Optional<Fault> faultFor(String method, String path) {
        Fault found = null;
        for (Rule rule : rules) {
            if (rule.matches(method, path)) {
                long n = rule.counter.incrementAndGet();
                if (found == null && rule.appliesTo(n)) {
                    found = rule.fault;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private static final class Rule {
        final String method;
        final String pathPrefix;
        final List<long[]> ranges;
        final Fault fault;
        final AtomicLong counter = new AtomicLong();

        Rule(String method, String pathPrefix, List<long[]> ranges, Fault fault) {
            this.method = method;
            this.pathPrefix = pathPrefix;
            this.ranges = ranges;
            this.fault = fault;
        }

        boolean matches(String m, String path) {
            return ("*".equals(method) || method.equalsIgnoreCase(m)) && path.startsWith(pathPrefix);
        }

        boolean appliesTo(long n) {
            if (ranges.isEmpty()) {
                return true;
            }
            for (long[] r : ranges) {
                if (n >= r[0] && n <= r[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    public final class RuleBuilder {
        private final String method;
        private final String pathPrefix;
        private final List<long[]> ranges = new ArrayList<>();

        private RuleBuilder(String method, String pathPrefix) {
            this.method = method;
            this.pathPrefix = pathPrefix;
        }

        /** Only these request numbers (1-based). */
        public RuleBuilder requests(long... numbers) {
            for (long n : numbers) {
                ranges.add(new long[] {n, n});
            }
            return this;
        }

        /** Request numbers from..to inclusive. */
        public RuleBuilder requestRange(long from, long to) {
            ranges.add(new long[] {from, to});
            return this;
        }

        /** From this request number on, forever. */
        public RuleBuilder fromRequest(long from) {
            ranges.add(new long[] {from, Long.MAX_VALUE});
            return this;
        }

        public FaultPlan fail(Fault fault) {
            rules.add(new Rule(method, pathPrefix, List.copyOf(ranges), fault));
            return FaultPlan.this;
        }
    }
}
