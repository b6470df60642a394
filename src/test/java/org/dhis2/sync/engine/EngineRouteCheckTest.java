package org.dhis2.sync.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.dhis2.sync.config.SyncSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} refuses what {@code validate} reports, with file and line, before any job can run. */
class EngineRouteCheckTest {

    @TempDir
    Path temp;

    @Test
    void unknownRouteConfigurationIdAndBeanMethodTypoStopStartupWithFileAndLine() throws Exception {
        Path routes = TestEngines.routesWith(temp);
        Path dataValues = routes.resolve("data-values.camel.yaml");
        Files.writeString(dataValues, Files.readString(dataValues)
                .replaceFirst("routeConfigurationId: dhis2Calls", "routeConfigurationId: dhis2Callz"));
        Path availability = routes.resolve("availability.camel.yaml");
        Files.writeString(availability, Files.readString(availability)
                .replace("method: recordUnreachable", "method: recordUnreachabel"));
        Properties props = TestEngines.properties(temp.resolve("pg"), routes, Map.of());

        assertThatThrownBy(() -> Engine.start(SyncSettings.forRun(props)))
                .isInstanceOf(EngineStartException.class)
                .hasMessageMatching("(?s).*data-values\\.camel\\.yaml:\\d+: route '[^']+' uses routeConfigurationId"
                        + " 'dhis2Callz'.*")
                .hasMessageMatching("(?s).*availability\\.camel\\.yaml:\\d+: bean 'availabilityCheck'"
                        + " \\(AvailabilityCheck\\) has no method 'recordUnreachabel'.*");
    }
}
