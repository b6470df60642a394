package org.dhis2.sync.reserved;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.dhis2.sync.admin.AdminAuthentication;
import org.dhis2.sync.config.ReservedValueSettings;

/** The beans of routes/reserved-values*.camel.yaml, by the names the routes use (listed in EngineBeans.TYPES). */
public final class ReservedValueBeans {

    private ReservedValueBeans() {
    }

    /** The pair's beans (pools, stage, hand-out, readiness check), by the names the route templates use. */
    public static void bind(BiConsumer<String, Object> bind, String pair, ReservedValueSettings settings,
                            DataSource dataSource, MeterRegistry meters) {
        ReservedValuePools pools = new ReservedValuePools(new PoolTable(dataSource, pair), settings,
                new ReservedValueMetrics(meters, pair));
        ReservedValueStage stage = new ReservedValueStage(pools);
        bind.accept("reservedValuePools", pools);
        bind.accept("reservedValues", stage);
        bind.accept("reservedValueHandout", new ReservedValueHandout(pools, stage));
        bind.accept("reservedValuesHealthCheck", new ReservedValuesHealthCheck(pools,
                pair.equals("default") ? "reserved-values" : "reserved-values-" + pair));
    }

    /** The engine's one hand-out authentication: admin credentials or the hand-out-only clients. */
    public static HandoutAuthentication clients(ReservedValueSettings settings, AdminAuthentication admin) {
        return new HandoutAuthentication(admin, settings.clients());
    }
}
