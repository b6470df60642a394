package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dhis2.sync.engine.ManagementEndpoints;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** TRACKER_PROGRAMS_DATA_SYNC end to end: a 2.41 local pushing to a 2.40 central over real HTTP. */
class TrackerProgramsSyncTest extends TrackerSyncTestBase {

    TrackerProgramsSyncTest() {
        super(41, 40, TrackerSyncFixture.TRACKER_JOB, Map.of("sync.tracker.pageSize", "5"));
    }

    static Set<String> alive(Dhis2Instance instance, Kind kind) {
        return TrackerSyncFixture.alive(instance, kind, false);
    }

    String state(String kind, String uid) throws Exception {
        return sync.state(TrackerType.valueOf(kind), uid);
    }

    @Test
    @Order(1)
    void trackedEntitiesWithEverythingNestedArriveWithoutSkipSyncAttributes() {
        JobRun first = run();
        assertThat(first.status()).as(first.summary()).isEqualTo(JobRun.Status.SUCCESS);
        for (Kind kind : Kind.values()) {
            assertThat(alive(pair.central(), kind)).as(kind.name()).isEqualTo(alive(pair.local(), kind));
        }
        assertThat(alive(pair.central(), Kind.TRACKED_ENTITY)).isNotEmpty();
        assertThat(alive(pair.central(), Kind.RELATIONSHIP)).isNotEmpty();
        String privateNote = pair.local().catalog().list("trackedEntityAttributes").stream()
                .filter(a -> a.path("name").asText().equals("TRK Private note")).findFirst().orElseThrow()
                .path("id").asText();
        for (String te : alive(pair.central(), Kind.TRACKED_ENTITY)) {
            pair.central().tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow().body().path("attributes")
                    .forEach(a -> assertThat(a.path("attribute").asText()).isNotEqualTo(privateNote));
        }
        pair.central().requests().matching("POST", "/api/tracker")
                .forEach(r -> assertThat(r.bodyText()).doesNotContain(privateNote));

        long posts = pair.central().requests().count("POST", "/api/tracker");
        assertThat(run().status()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().requests().count("POST", "/api/tracker")).isEqualTo(posts);
    }

    @Test
    @Order(2)
    void oneRejectedEventMakesOnlyItsTrackedEntityErrorUntilFixed() throws Exception {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        String badTe = tes[0];
        String enrollment = pair.local().tracker().children(Kind.ENROLLMENT, badTe).get(0).uid();
        String badEvent = pair.local().tracker().children(Kind.EVENT, enrollment).get(0).uid();
        pair.central().faults().rejectedUids().add(badEvent);
        pair.local().tracker().touch(Kind.EVENT, badEvent);
        for (int i = 0; i < 4; i++) {
            pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[i]);
        }
        JobRun run = run();
        assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(state("TRACKED_ENTITY", badTe)).isEqualTo("ERROR");
        assertThat(state("EVENT", badEvent)).isEqualTo("ERROR");
        for (int i = 1; i < 4; i++) {
            assertThat(state("TRACKED_ENTITY", tes[i])).isEqualTo("SYNCED");
        }
        try (Connection c = sync.engine.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from import_conflict where kind = 'EVENT' and uid = '"
                     + badEvent + "' and run_id = " + run.id())) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }

        pair.central().faults().rejectedUids().remove(badEvent);
        pair.local().tracker().touch(Kind.EVENT, badEvent);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, badTe);
        JobRun fixed = run();
        assertThat(fixed.status()).as(fixed.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(state("TRACKED_ENTITY", badTe)).isEqualTo("SYNCED");
        assertThat(state("EVENT", badEvent)).isEqualTo("SYNCED");
    }

    @Test
    @Order(3)
    void deletedEnrollmentAndTrackedEntityPropagate() {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        String enrollment = pair.local().tracker().children(Kind.ENROLLMENT, tes[1]).get(0).uid();
        pair.local().tracker().delete(Kind.ENROLLMENT, enrollment);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[1]);
        pair.local().tracker().delete(Kind.TRACKED_ENTITY, tes[2]);
        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().tracker().get(Kind.ENROLLMENT, enrollment).orElseThrow().deleted()).isTrue();
        assertThat(pair.central().tracker().get(Kind.TRACKED_ENTITY, tes[2]).orElseThrow().deleted()).isTrue();
        for (Kind kind : Kind.values()) {
            assertThat(alive(pair.central(), kind)).as(kind.name()).isEqualTo(alive(pair.local(), kind));
        }
    }

    /** The value of an attribute of a tracked entity as an instance stores it. */
    static String attribute(Dhis2Instance instance, String te, String attribute) {
        for (var a : instance.tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow().body().path("attributes")) {
            if (a.path("attribute").asText().equals(attribute)) {
                return a.path("value").asText();
            }
        }
        return null;
    }

    String firstAttribute(String te) {
        return pair.local().tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow().body()
                .path("attributes").get(0).path("attribute").asText();
    }

    /** Sets an attribute value on local, as a user editing the tracked entity would. */
    static double trackerDelta(String before, String after, String name) {
        return ManagementEndpoints.metric(after, name, "stage", "trackedEntities")
                - ManagementEndpoints.metric(before, name, "stage", "trackedEntities");
    }

    void edit(String te, String attribute, String value) {
        var body = pair.local().tracker().get(Kind.TRACKED_ENTITY, te).orElseThrow().toJson();
        for (var a : body.path("attributes")) {
            if (a.path("attribute").asText().equals(attribute)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) a).put("value", value);
            }
        }
        pair.local().tracker().put(Kind.TRACKED_ENTITY, te, body);
    }

    void assertCentralEqualsLocal() {
        for (Kind kind : Kind.values()) {
            assertThat(alive(pair.central(), kind)).as(kind.name()).isEqualTo(alive(pair.local(), kind));
        }
    }

    @Test
    @Order(4)
    void changesMadeOnLocalWhileTheRunPagesAreNotLost() throws Exception {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        String attr = firstAttribute(tes[0]);
        for (String te : tes) {
            pair.local().tracker().touch(Kind.TRACKED_ENTITY, te); // every entity changed: several pages
        }
        String[] order = pair.local().tracker().query(Kind.TRACKED_ENTITY, null, null, i -> !i.deleted(), false, 0,
                -1, false).items().stream().map(Item::uid).toArray(String[]::new);
        String inFirstPage = order[0];
        String notYetRead = order[order.length - 1];
        String created = org.dhis2.sync.sandbox.Uids.random();
        // right after local served the first page: one entity already read, one not yet read, one new
        pair.local().faults().on("GET", "/api/tracker/trackedEntities").requests(1)
                .fail(org.dhis2.sync.sandbox.Fault.changeAfterAnswer(() -> {
                    edit(inFirstPage, attr, "changed while paging 1");
                    edit(notYetRead, attr, "changed while paging 2");
                    var copy = pair.local().tracker().get(Kind.TRACKED_ENTITY, notYetRead).orElseThrow().toJson();
                    pair.local().tracker().put(Kind.TRACKED_ENTITY, created, copy);
                }));
        JobRun during = run();
        pair.local().faults().clear();
        assertThat(during.status()).as(during.summary()).isEqualTo(JobRun.Status.SUCCESS);
        JobRun next = run();
        assertThat(next.status()).as(next.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(attribute(pair.central(), inFirstPage, attr)).isEqualTo("changed while paging 1");
        assertThat(attribute(pair.central(), notYetRead, attr)).isEqualTo("changed while paging 2");
        assertThat(pair.central().tracker().get(Kind.TRACKED_ENTITY, created)).isPresent();
        assertThat(state("TRACKED_ENTITY", created)).isEqualTo("SYNCED");
        assertCentralEqualsLocal();
    }

    @Test
    @Order(5)
    void malformedImportAnswerFailsOnlyThatPageAndACleanRunConverges() throws Exception {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        String attr = firstAttribute(tes[0]);
        for (int i = 0; i < 3; i++) {
            edit(tes[i], attr, "malformed round " + i);
        }
        // central imports the page, then the answer is spoiled (200 with a body that is not JSON)
        pair.central().faults().on("POST", "/api/tracker").requests(1)
                .fail(org.dhis2.sync.sandbox.Fault.malformedBody());
        String metricsBefore = ManagementEndpoints.get(sync.engine, "/observe/metrics").body();
        JobRun faulty = run();
        pair.central().faults().clear();
        assertThat(faulty.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(faulty.summary()).contains("not confirmed").contains("import report could not be read");
        // /observe/metrics: one failed page, its 3 tracked entities sent but not settled
        String metrics = ManagementEndpoints.get(sync.engine, "/observe/metrics").body();
        assertThat(trackerDelta(metricsBefore, metrics, "dhis2sync_pages_failed_total")).isEqualTo(1);
        assertThat(trackerDelta(metricsBefore, metrics, "dhis2sync_objects_sent_total")
                - trackerDelta(metricsBefore, metrics, "dhis2sync_objects_settled_total")).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(state("TRACKED_ENTITY", tes[i])).isIn("TO_UPDATE", "TO_POST");
        }
        try (Connection c = sync.engine.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select status, summary from job_run where id = " + faulty.id())) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("FAILED");
            assertThat(rs.getString(2)).contains("not confirmed");
        }

        JobRun clean = run();
        assertThat(clean.status()).as(clean.summary()).isEqualTo(JobRun.Status.SUCCESS);
        for (int i = 0; i < 3; i++) {
            assertThat(state("TRACKED_ENTITY", tes[i])).isEqualTo("SYNCED");
            assertThat(attribute(pair.central(), tes[i], attr)).isEqualTo("malformed round " + i);
        }
        assertCentralEqualsLocal();
    }

    @Test
    @Order(6)
    void transientServerErrorsAreRetriedThenThePageSucceeds() throws Exception {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[3]);
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[4]);
        long posts = pair.central().requests().count("POST", "/api/tracker");
        // metadata.sync.retry=3 attempts: two 503s, then the import goes through
        pair.central().faults().on("POST", "/api/tracker").requests(1, 2)
                .fail(org.dhis2.sync.sandbox.Fault.status(503));
        JobRun run = run();
        pair.central().faults().clear();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        var statuses = pair.central().requests().matching("POST", "/api/tracker").stream().skip(posts)
                .map(org.dhis2.sync.sandbox.RequestLog.Entry::status).toList();
        // the page: two 503s, then 200 (a relationship page of the touched entities may follow)
        assertThat(statuses.subList(0, 3)).containsExactly(503, 503, 200);
        assertThat(statuses.subList(3, statuses.size())).allMatch(s -> s == 200);
        assertThat(state("TRACKED_ENTITY", tes[3])).isEqualTo("SYNCED");
        assertThat(state("TRACKED_ENTITY", tes[4])).isEqualTo("SYNCED");
    }

    @Test
    @Order(7)
    void createdAndDeletedRelationshipsReachCentral() throws Exception {
        String[] tes = alive(pair.local(), Kind.TRACKED_ENTITY).stream().sorted().toArray(String[]::new);
        Item existing = pair.local().tracker().query(Kind.RELATIONSHIP, null, null, i -> !i.deleted(), false, 0, -1,
                false).items().get(0);
        String created = org.dhis2.sync.sandbox.Uids.random();
        var rel = existing.toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) rel.path("from").path("trackedEntity"))
                .put("trackedEntity", tes[5]);
        ((com.fasterxml.jackson.databind.node.ObjectNode) rel.path("to").path("trackedEntity"))
                .put("trackedEntity", tes[6]);
        pair.local().tracker().put(Kind.RELATIONSHIP, created, rel);
        // a relationship change reaches the export with its tracked entity, edited in the same session
        pair.local().tracker().touch(Kind.TRACKED_ENTITY, tes[5]);
        // (DHIS2 never updates a relationship: RelationshipApiTest, contract REL-4)
        // a deletion bumps the tracked entity (contract REL-5); its export (includeDeleted) still lists it, unflagged
        pair.local().tracker().delete(Kind.RELATIONSHIP, existing.uid());
        pair.local().tracker().touch(Kind.TRACKED_ENTITY,
                existing.body().path("from").path("trackedEntity").path("trackedEntity").asText());

        JobRun run = run();
        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, created).orElseThrow().deleted()).isFalse();
        assertThat(pair.central().tracker().get(Kind.RELATIONSHIP, existing.uid()).orElseThrow().deleted()).isTrue();
        assertThat(state("RELATIONSHIP", created)).isEqualTo("SYNCED");
        assertThat(state("RELATIONSHIP", existing.uid())).isEqualTo("SYNCED");
        assertCentralEqualsLocal();
    }
}
