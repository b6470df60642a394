package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dhis2.sync.tracker.SkipSyncFields;
import org.junit.jupiter.api.Test;

/** A download imports a tracked entity only when central's version would change something on the local one. */
class SameOnLocalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCAL = "{\"trackedEntity\":\"T\",\"orgUnit\":\"O\",\"trackedEntityType\":\"Y\","
            + "\"attributes\":[{\"attribute\":\"name\",\"value\":\"Ada\"},{\"attribute\":\"secret\",\"value\":\"s\"}],"
            + "\"enrollments\":[{\"enrollment\":\"E\",\"program\":\"P\",\"orgUnit\":\"O\",\"status\":\"ACTIVE\","
            + "\"enrolledAt\":\"2024-01-01T00:00:00.000\",\"occurredAt\":\"2024-01-01T00:00:00.000\",\"events\":"
            + "[{\"event\":\"V\",\"programStage\":\"S\",\"orgUnit\":\"O\",\"status\":\"ACTIVE\",\"occurredAt\":"
            + "\"2024-01-02T00:00:00.000\",\"dataValues\":[{\"dataElement\":\"D\",\"value\":\"5\"}]}]},"
            + "{\"enrollment\":\"E2\",\"program\":\"Q\",\"orgUnit\":\"O\",\"status\":\"ACTIVE\"}]}";

    private static JsonNode node(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static SkipSyncFields skip() throws Exception {
        SkipSyncFields s = SkipSyncFields.none();
        s.addAttributes(node("{\"trackedEntityAttributes\":[{\"id\":\"secret\",\"skipSynchronization\":true}]}"));
        return s;
    }

    @Test
    void whatCentralSendsIsAlreadyThereSoNothingWouldChange() throws Exception {
        // central: no secret (it never travels), dates without time, only the program's enrollment
        JsonNode central = node(LOCAL.replace(",{\"attribute\":\"secret\",\"value\":\"s\"}", "")
                .replace("\"2024-01-02T00:00:00.000\"", "\"2024-01-02\"")
                .replace(",{\"enrollment\":\"E2\",\"program\":\"Q\",\"orgUnit\":\"O\",\"status\":\"ACTIVE\"}", ""));
        assertThat(SameOnLocal.wouldChangeNothing(central, node(LOCAL), skip())).isTrue();
    }

    @Test
    void anyValueOrObjectCentralHasDifferentlyIsImported() throws Exception {
        JsonNode local = node(LOCAL);
        assertThat(SameOnLocal.wouldChangeNothing(node(LOCAL.replace("\"Ada\"", "\"Eve\"")), local, skip())).isFalse();
        assertThat(SameOnLocal.wouldChangeNothing(node(LOCAL.replace("\"value\":\"5\"", "\"value\":\"6\"")), local,
                skip())).isFalse();
        assertThat(SameOnLocal.wouldChangeNothing(node(LOCAL.replace("\"event\":\"V\"", "\"event\":\"W\"")), local,
                skip())).as("an event local lacks").isFalse();
        assertThat(SameOnLocal.wouldChangeNothing(node(LOCAL.replace("\"status\":\"ACTIVE\",\"enrolledAt\"",
                "\"status\":\"COMPLETED\",\"enrolledAt\"")), local, skip())).isFalse();
        assertThat(SameOnLocal.wouldChangeNothing(node(LOCAL), null, skip())).as("not on local").isFalse();
        assertThat(SameOnLocal.wouldChangeNothing(node(LOCAL), node(LOCAL.replace("\"trackedEntity\":\"T\",",
                "\"trackedEntity\":\"T\",\"deleted\":true,")), skip())).as("deleted on local").isFalse();
    }
}
