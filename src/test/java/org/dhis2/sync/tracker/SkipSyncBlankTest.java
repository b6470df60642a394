package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A download never blanks a local skip-sync value: empty ones are dropped at any depth, the rest kept. */
class SkipSyncBlankTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void blankSkipSyncValuesAreDroppedAndEverythingElseStays() throws Exception {
        SkipSyncFields skip = SkipSyncFields.none();
        skip.addAttributes(JSON.readTree("{\"trackedEntityAttributes\":[{\"id\":\"secretAttr1\","
                + "\"skipSynchronization\":true},{\"id\":\"plainAttr01\"}]}"));
        skip.addProgramStages(JSON.readTree("{\"programStages\":[{\"id\":\"stage000001\",\"programStageDataElements\":"
                + "[{\"skipSynchronization\":true,\"dataElement\":{\"id\":\"secretDe001\"}}]}]}"));
        ObjectNode te = (ObjectNode) JSON.readTree("{\"attributes\":[{\"attribute\":\"secretAttr1\",\"value\":\"\"},"
                + "{\"attribute\":\"plainAttr01\",\"value\":\"\"}],\"enrollments\":[{\"attributes\":[{\"attribute\":"
                + "\"secretAttr1\",\"value\":\"kept\"}],\"events\":[{\"programStage\":\"stage000001\",\"dataValues\":"
                + "[{\"dataElement\":\"secretDe001\"},{\"dataElement\":\"secretDe001\",\"value\":\"5\"}]}]}]}");

        skip.stripBlank(te);

        assertThat(te.path("attributes")).hasSize(1);
        assertThat(te.path("attributes").get(0).path("attribute").asText()).isEqualTo("plainAttr01");
        assertThat(te.at("/enrollments/0/attributes/0/value").asText()).isEqualTo("kept");
        assertThat(te.at("/enrollments/0/events/0/dataValues")).hasSize(1);
        assertThat(te.at("/enrollments/0/events/0/dataValues/0/value").asText()).isEqualTo("5");
    }
}
