package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.dhis2.sync.tracker.TrackerPass.Unit;
import org.junit.jupiter.api.Test;

/**
 * What of an exported tracked entity goes to central, and in which import: deletions apart, skip-sync values and
 * enrollments of programs that are not configured left out, live relationships kept for the relationship pass.
 */
class TrackerPayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTrackedEntitySplitsIntoDeletesAndUpsertsWithOnlyWhatMaySync() throws Exception {
        SkipSyncFields skip = SkipSyncFields.none();
        skip.addAttributes(JSON.readTree("{\"trackedEntityAttributes\":[{\"id\":\"secretAttr1\","
                + "\"skipSynchronization\":true}]}"));
        TrackerPass pass = new TrackerPass(null, null, null, null, skip);
        ObjectNode te = (ObjectNode) JSON.readTree("""
                {"trackedEntity":"te000000001","updatedAt":"2024-05-01T10:00:00.000",
                 "attributes":[{"attribute":"secretAttr1","value":"x"},{"attribute":"plainAttr01","value":"y"}],
                 "programOwners":[{"program":"program0001"}],
                 "enrollments":[
                   {"enrollment":"enrollment01","program":"program0001","updatedAt":"2024-05-01T10:00:00.000",
                    "relationships":[{"relationship":"rel00000003"}],
                    "events":[{"event":"event000001","relationships":[{"relationship":"rel00000004"}]},
                              {"event":"event000002","deleted":true}]},
                   {"enrollment":"enrollment02","program":"program0002"},
                   {"enrollment":"enrollment03","program":"program0001","deleted":true}],
                 "relationships":[{"relationship":"rel00000001"},{"relationship":"rel00000002","deleted":true}]}
                """);
        ObjectNode deletes = JSON.createObjectNode();
        ObjectNode upserts = JSON.createObjectNode();

        Unit unit = new TrackerPayloads(List.of("program0001")).addTrackedEntity(pass, te,
                TrackerPayloads.member(TrackerType.TRACKED_ENTITY, te), deletes, upserts);

        assertThat(JSON.readTree(JSON.writeValueAsString(deletes))).isEqualTo(JSON.readTree("""
                {"events":[{"event":"event000002"}],"enrollments":[{"enrollment":"enrollment03"}],
                 "relationships":[{"relationship":"rel00000002"}]}
                """));
        ObjectNode sent = (ObjectNode) upserts.path("trackedEntities").get(0);
        assertThat(sent.path("attributes")).hasSize(1);
        assertThat(sent.at("/attributes/0/attribute").asText()).isEqualTo("plainAttr01");
        assertThat(sent.has("programOwners")).isFalse();
        assertThat(sent.has("relationships")).isFalse();
        assertThat(sent.path("enrollments")).hasSize(1);
        assertThat(sent.at("/enrollments/0/enrollment").asText()).isEqualTo("enrollment01");
        assertThat(sent.at("/enrollments/0").has("relationships")).isFalse();
        assertThat(sent.at("/enrollments/0/events")).hasSize(1);
        assertThat(sent.at("/enrollments/0/events/0").has("relationships")).isFalse();
        assertThat(unit.self().uid()).isEqualTo("te000000001");
        assertThat(unit.members()).extracting(Member::uid, Member::deleted).containsExactly(
                tuple("enrollment01", false),
                tuple("event000001", false),
                tuple("event000002", true),
                tuple("enrollment03", true),
                tuple("rel00000002", true));
    }

    @Test
    void aDeletedTrackedEntityGoesOnlyToTheDeleteImport() throws Exception {
        TrackerPass pass = new TrackerPass(null, null, null, null, SkipSyncFields.none());
        ObjectNode te = (ObjectNode) JSON.readTree("{\"trackedEntity\":\"te000000001\",\"deleted\":true,"
                + "\"enrollments\":[{\"enrollment\":\"enrollment01\",\"program\":\"program0001\"}]}");
        ObjectNode deletes = JSON.createObjectNode();
        ObjectNode upserts = JSON.createObjectNode();

        Unit unit = new TrackerPayloads(List.of()).addTrackedEntity(pass, te,
                TrackerPayloads.member(TrackerType.TRACKED_ENTITY, te), deletes, upserts);

        assertThat(deletes.toString()).isEqualTo("{\"trackedEntities\":[{\"trackedEntity\":\"te000000001\"}]}");
        assertThat(upserts.isEmpty()).isTrue();
        assertThat(unit.members()).isEmpty();
    }
}
