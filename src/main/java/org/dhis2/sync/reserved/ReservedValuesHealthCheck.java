package org.dhis2.sync.reserved;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * /observe/health check {@code reserved-values} (readiness only): DOWN while a pool has fewer values than
 * sync.reservedValues.threshold and its last fill failed (central unreachable or refusing), with the pools and the
 * reasons as details; UP otherwise. No request of its own: it reports what the job and the hand-outs saw. DOWN
 * changes nothing for liveness; readiness is already DOWN whenever central is unreachable (check dhis2-central),
 * this check says which pools run out meanwhile.
 */
public final class ReservedValuesHealthCheck extends AbstractHealthCheck {

    private final ReservedValuePools pools;

    public ReservedValuesHealthCheck(ReservedValuePools pools) {
        this(pools, "reserved-values");
    }

    /** @param id the check's id: reserved-values for the default pair, reserved-values-&lt;pair&gt; for another */
    public ReservedValuesHealthCheck(ReservedValuePools pools, String id) {
        super("dhis2-sync", id);
        this.pools = pools;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> starving = pools.starving();
        builder.detail("threshold", pools.settings().threshold());
        if (starving.isEmpty()) {
            builder.message("No pool is below its threshold with central out of reach");
            builder.up();
            return;
        }
        starving.forEach((pool, state) -> builder.detail("pool." + pool, state));
        // the message carries the reasons too: /observe/health shows messages, not always details
        builder.message("Reserved value pools below " + pools.settings().threshold()
                + " that could not be filled from central: " + starving.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(java.util.stream.Collectors.joining("; ")));
        builder.down();
    }
}
