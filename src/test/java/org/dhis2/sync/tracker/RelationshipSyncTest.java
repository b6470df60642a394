package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.RequestLog;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.dhis2.sync.sandbox.Uids;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Relationships of TRACKER_PROGRAMS_DATA_SYNC end to end (a 2.41 local, a 2.42 central): sent by reference only,
 * kept in their own bookkeeping, re-sent when a page did not arrive, settled when central already has them.
 */
class RelationshipSyncTest extends TrackerSyncTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    RelationshipSyncTest() {
        super(41, 42, TrackerSyncFixture.TRACKER_JOB, Map.of("sync.tracker.pageSize", "5"));
    }

    /** Every relationship object central received in POST /api/tracker bodies since request {@code skip}. */
    static List<JsonNode> postedRelationships(Dhis2Instance central, long skip) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (RequestLog.Entry r : central.requests().matching("POST", "/api/tracker").stream().skip(skip).toList()) {
            collect(JSON.readTree(r.bodyText()), found);
        }
        return found;
    }

    private static void collect(JsonNode node, List<JsonNode> found) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("relationships") && f.getValue().isArray()) {
                    f.getValue().forEach(found::add);
                } else {
                    collect(f.getValue(), found);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, found));
        }
    }

    /** Only {relationship, relationshipType, from, to}; each end one nested object holding its UID alone. */
    static void assertReferenceOnly(JsonNode r) {
        assertThat(fieldNames(r)).as(r.toString()).containsExactlyInAnyOrder("relationship", "relationshipType",
                "from", "to");
        for (String side : new String[] {"from", "to"}) {
            JsonNode end = r.path(side);
            assertThat(end.size()).as(r.toString()).isEqualTo(1);
            String kind = end.fieldNames().next();
            assertThat(kind).isIn("trackedEntity", "enrollment", "event");
            assertThat(fieldNames(end.path(kind))).as(r.toString()).containsExactly(kind);
            assertThat(end.path(kind).path(kind).asText()).hasSize(11);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    String state(String uid) throws Exception {
        return sync.state(TrackerType.RELATIONSHIP, uid);
    }

    long posts() {
        return pair.central().requests().count("POST", "/api/tracker");
    }

    /** A new relationship on local between two live tracked entities, as DHIS2 stores it (origins bumped). */
    String newLocalRelationship(String from, String to) {
        String uid = Uids.random();
        Item any = pair.local().tracker().query(Kind.RELATIONSHIP, null, null, i -> true, false, 0, 1, false)
                .items().get(0);
        ObjectNode rel = JSON.createObjectNode().put("relationshipType", any.text("relationshipType"));
        rel.putObject("from").putObject("trackedEntity").put("trackedEntity", from);
        rel.putObject("to").putObject("trackedEntity").put("trackedEntity", to);
        pair.local().tracker().put(Kind.RELATIONSHIP, uid, rel);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, from); // DHIS2 bumps the origins (contract REL-5)
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, to);
        return uid;
    }

    String[] liveTrackedEntities() {
        return TrackerSyncFixture.alive(pair.local(), Kind.TRACKED_ENTITY, false).stream().sorted()
                .toArray(String[]::new);
    }

    @Test
    @Order(1)
    void relationshipsReachCentralByReferenceOnlyWithoutTheNestedTrackedEntities() throws Exception {
        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        Set<String> local = TrackerSyncFixture.alive(pair.local(), Kind.RELATIONSHIP, false);
        assertThat(local).isNotEmpty();
        assertThat(TrackerSyncFixture.alive(pair.central(), Kind.RELATIONSHIP, false)).isEqualTo(local);
        List<JsonNode> posted = postedRelationships(pair.central(), 0);
        assertThat(posted).isNotEmpty();
        posted.forEach(RelationshipSyncTest::assertReferenceOnly);
        for (String uid : local) {
            assertThat(state(uid)).as(uid).isEqualTo("SYNCED");
        }
        assertThat(run.stageOutcomes()).filteredOn(o -> o.stage().equals("relationships")).singleElement()
                .satisfies(o -> assertThat(o.sent()).isEqualTo(local.size()))
                .satisfies(o -> assertThat(o.settled()).isEqualTo(local.size()));
        long before = posts();
        JobRun again = run();
        assertThat(again.status()).as(again.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(posts()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void aRelationshipPageThatDidNotArriveIsSentAgainByTheNextRun() throws Exception {
        String[] tes = liveTrackedEntities();
        String rel = newLocalRelationship(tes[1], tes[2]);
        // the tracked entity page goes through; the relationship page (and its retries) fails
        pair.central().faults().on("POST", "/api/tracker").fromRequest(2).fail(Fault.status(500));
        JobRun failed = run();
        pair.central().faults().clear();
        assertThat(failed.status()).as(failed.summary()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.summary()).contains("1 relationship did not arrive (sent again next run)")
                .doesNotContain("tracked entities did not");
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, rel)).isEmpty();
        assertThat(state(rel)).isIn("TO_POST", "TO_UPDATE");

        long before = posts();
        JobRun next = run();
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, rel)).isPresent();
        assertThat(postedRelationships(pair.central(), before)).extracting(r -> r.path("relationship").asText())
                .containsExactly(rel);
        assertThat(state(rel)).isEqualTo("SYNCED");
        long after = posts();
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(posts()).isEqualTo(after);
    }

    @Test
    @Order(3)
    void aRelationshipCentralAlreadyHasIsSettledAndNeverSentAgain() throws Exception {
        String[] tes = liveTrackedEntities();
        String rel = newLocalRelationship(tes[3], tes[4]);
        // central has it already (e.g. an earlier run's answer was lost)
        pair.central().tracker().put(Kind.RELATIONSHIP, rel,
                pair.local().tracker().get(Kind.RELATIONSHIP, rel).orElseThrow().toJson());
        Instant onCentral = pair.central().tracker().get(Kind.RELATIONSHIP, rel).orElseThrow().updatedAt();
        long before = posts();
        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(postedRelationships(pair.central(), before)).extracting(r -> r.path("relationship").asText())
                .containsExactly(rel);
        assertThat(state(rel)).isEqualTo("SYNCED");
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, rel).orElseThrow().updatedAt())
                .isEqualTo(onCentral);

        // its tracked entity changes and is sent again: the settled relationship stays home
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[3]);
        long again = posts();
        JobRun resent = run();
        assertThat(resent.status()).as(resent.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(posts()).isGreaterThan(again);
        assertThat(postedRelationships(pair.central(), again)).isEmpty();
    }

    @Test
    @Order(4)
    void aRejectedRelationshipIsSettledWithItsConflictAndReportedAsARelationship() throws Exception {
        String[] tes = liveTrackedEntities();
        String rel = newLocalRelationship(tes[5], tes[6]);
        pair.central().faults().rejectedUids().add(rel);
        JobRun run = run();
        pair.central().faults().rejectedUids().remove(rel);
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.FAILED);
        assertThat(run.summary()).contains("1 relationship rejected by central (conflicts recorded)")
                .doesNotContain("tracked entities rejected");
        assertThat(state(rel)).isEqualTo("ERROR");
        assertThat(sync.conflicts(TrackerType.RELATIONSHIP, rel, run.id())).isEqualTo(1);
        assertThat(state(TrackerType.TRACKED_ENTITY, tes[5])).isEqualTo("SYNCED");
        long before = posts();
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(posts()).isEqualTo(before);
        rejected = rel;
        rejectedFrom = tes[5];
    }

    @Test
    @Order(5)
    void anOperatorResendOfTheTrackedEntitySendsItsRejectedRelationshipAgain() throws Exception {
        new org.dhis2.sync.admin.ItemResend(sync.engine.database().dataSource())
                .request("default", "TRACKED_ENTITY", rejectedFrom);
        long before = posts();
        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(postedRelationships(pair.central(), before)).extracting(r -> r.path("relationship").asText())
                .contains(rejected);
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, rejected)).isPresent();
        assertThat(state(rejected)).isEqualTo("SYNCED");
    }

    @Test
    @Order(6)
    void whenTheLiveRelationshipsCannotBeReadTheyWaitForTheNextRun() throws Exception {
        String[] tes = liveTrackedEntities();
        String rel = newLocalRelationship(tes[7], tes[8]);
        pair.local().faults().on("GET", "/api/tracker/relationships").fromRequest(1).fail(Fault.status(500));
        JobRun failed = run();
        pair.local().faults().clear();
        assertThat(failed.status()).as(failed.summary()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.summary()).contains("could not be read from the local server (read again next run)");
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, rel)).isEmpty();
        JobRun next = run();
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, rel)).isPresent();
        assertThat(state(rel)).isEqualTo("SYNCED");
    }

    private String rejected;
    private String rejectedFrom;

    private String state(TrackerType type, String uid) throws Exception {
        return sync.state(type, uid);
    }
}
