package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ImportReport of a committed tracker import, as real DHIS2 answers it per version. */
class TrackerImportReportTest {

    @ParameterizedTest
    @ValueSource(ints = {40, 41})
    @Contract("TRK-14")
    void aCommittedImportHasABundleReportAndObjectReportsHaveAnIndexUpTo240(int minor) throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(minor)) {
            var empty = s.post("/api/tracker?async=false", "{\"events\":[]}");
            assertThat(empty.status()).isEqualTo(200);
            assertThat(empty.body().has("bundleReport")).as("an empty committed import").isTrue();

            var created = s.post("/api/tracker?async=false", "{\"events\":[" + s.newEvent("reportEv001") + "]}");
            assertThat(created.status()).isEqualTo(200);
            JsonNode objectReport = created.body().at("/bundleReport/typeReportMap/EVENT/objectReports/0");
            assertThat(objectReport.path("uid").asText()).isEqualTo("reportEv001");
            assertThat(objectReport.has("index")).as("index on 2.%d", minor).isEqualTo(minor <= 40);
        }
    }
}
