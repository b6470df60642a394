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

    public static void bind(BiConsumer<String, Object> bind, ReservedValueSettings settings, DataSource dataSource,
                            MeterRegistry meters, AdminAuthentication admin) {
        ReservedValuePools pools = new ReservedValuePools(new PoolTable(dataSource, "default"), settings,
                new ReservedValueMetrics(meters, "default"));
        ReservedValueStage stage = new ReservedValueStage(pools);
        bind.accept("reservedValuePools", pools);
        bind.accept("reservedValues", stage);
        bind.accept("reservedValueHandout", new ReservedValueHandout(pools, stage));
        bind.accept("reservedValueClients", new HandoutAuthentication(admin, settings.clients()));
        bind.accept("reservedValuesHealthCheck", new ReservedValuesHealthCheck(pools));
    }
}
