package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.dhis2.sync.sandbox.Uids;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** EVENT_PROGRAMS_DATA_SYNC (a 2.42 local, a 2.40 central): relationships of event-program events reach central. */
class EventRelationshipsSyncTest extends TrackerSyncTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private String relationship;

    EventRelationshipsSyncTest() {
        super(42, 40, TrackerSyncFixture.EVENTS_JOB, Map.of("sync.events.pageSize", "7"));
    }

    @Test
    @Order(1)
    void relationshipsBetweenEventsAreSentByReferenceAfterTheEvents() throws Exception {
        List<String> events = TrackerSyncFixture.alive(pair.local(), Kind.EVENT, true).stream().sorted().toList();
        relationship = Uids.random();
        String type = pair.local().catalog().list("relationshipTypes").get(0).path("id").asText();
        ObjectNode rel = JSON.createObjectNode().put("relationshipType", type);
        rel.putObject("from").putObject("event").put("event", events.get(0));
        rel.putObject("to").putObject("event").put("event", events.get(1));
        pair.local().tracker().put(Kind.RELATIONSHIP, relationship, rel);

        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        var onCentral = pair.central().tracker().get(Kind.RELATIONSHIP, relationship);
        assertThat(onCentral).isPresent();
        assertThat(onCentral.get().body().path("from").path("event").path("event").asText()).isEqualTo(events.get(0));
        List<JsonNode> posted = RelationshipSyncTest.postedRelationships(pair.central(), 0);
        assertThat(posted).extracting(r -> r.path("relationship").asText()).containsExactly(relationship);
        posted.forEach(RelationshipSyncTest::assertReferenceOnly);
        assertThat(sync.state(TrackerType.RELATIONSHIP, relationship)).isEqualTo("SYNCED");

        long posts = pair.central().requests().count("POST", "/api/tracker");
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().requests().count("POST", "/api/tracker")).isEqualTo(posts);
    }
}
