package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The reference form of relationships sent to central: the UIDs, in DHIS2's nested input form, and nothing else. */
class RelationshipReferenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode fixture(String path) throws Exception {
        try (InputStream in = RelationshipReferenceTest.class.getResourceAsStream("/fixtures/dhis2/" + path)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void aRealExportedRelationshipKeepsOnlyItsUidTypeAndEndUids() throws Exception {
        // the Android SDK's new-format relationship: an event (with data values) to a tracked entity (with names)
        JsonNode exported = fixture("payloads/tracker/new_relationship.json");
        assertThat(exported.toString()).contains("Filona");
        JsonNode ref = RelationshipReference.of(exported).orElseThrow();
        assertThat(ref).isEqualTo(JSON.readTree("{\"relationship\":\"VdjOfugUb9y\",\"relationshipType\":"
                + "\"mxZDvSZYxlw\",\"from\":{\"event\":{\"event\":\"mOFppqD2q8d\"}},"
                + "\"to\":{\"trackedEntity\":{\"trackedEntity\":\"vOxUH373fy5\"}}}"));
    }

    @Test
    void aBareUidEndIsTurnedIntoTheNestedFormDhis2Reads() throws Exception {
        JsonNode ref = RelationshipReference.of(JSON.readTree("{\"relationship\":\"AJOytZW7OaI\","
                + "\"relationshipType\":\"V2kkHafqs8G\",\"from\":{\"trackedEntity\":\"nWrB0TfWlvh\"},"
                + "\"to\":{\"enrollment\":{\"enrollment\":\"xw4GwQ4hIsc\",\"attributes\":[]}},\"deleted\":false}"))
                .orElseThrow();
        assertThat(ref.path("from")).isEqualTo(JSON.readTree("{\"trackedEntity\":{\"trackedEntity\":\"nWrB0TfWlvh\"}}"));
        assertThat(ref.path("to")).isEqualTo(JSON.readTree("{\"enrollment\":{\"enrollment\":\"xw4GwQ4hIsc\"}}"));
        assertThat(ref.size()).isEqualTo(4);
    }

    @Test
    void aRelationshipWithoutUidTypeOrEndHasNoReference() throws Exception {
        assertThat(RelationshipReference.of(JSON.readTree("{\"relationshipType\":\"V2kkHafqs8G\","
                + "\"from\":{\"trackedEntity\":\"a\"},\"to\":{\"trackedEntity\":\"b\"}}"))).isEmpty();
        assertThat(RelationshipReference.of(JSON.readTree("{\"relationship\":\"AJOytZW7OaI\","
                + "\"from\":{\"trackedEntity\":\"a\"},\"to\":{\"trackedEntity\":\"b\"}}"))).isEmpty();
        assertThat(RelationshipReference.of(JSON.readTree("{\"relationship\":\"AJOytZW7OaI\","
                + "\"relationshipType\":\"V2kkHafqs8G\",\"from\":{\"trackedEntity\":\"a\"},\"to\":{}}"))).isEmpty();
    }
}
