package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Relationships over real HTTP as DHIS2 handles them: export view, input form, re-posts, deletes, updatedAt. */
class RelationshipApiTest {

    private static final String TE_A = "relTeAAAAAA";
    private static final String TE_B = "relTeBBBBBB";
    private static final String REL = "relAAAAAAAA";

    private static String relationship(TrackerSandboxFixture s, String uid, String from, String to) {
        return "{\"relationship\":\"" + uid + "\",\"relationshipType\":\"" + s.id(TrackerRefs.RELATIONSHIP_TYPES, 0)
                + "\",\"from\":{\"trackedEntity\":{\"trackedEntity\":\"" + from + "\"}},"
                + "\"to\":{\"trackedEntity\":{\"trackedEntity\":\"" + to + "\"}}}";
    }

    /** Two tracked entities with an attribute, related by REL (type bidirectional unless changed). */
    private static void twoRelated(TrackerSandboxFixture s) throws Exception {
        String program = s.program("WITH_REGISTRATION").path("id").asText();
        var answer = s.post("/api/tracker?async=false", "{\"trackedEntities\":["
                + TrackerContractTest.teWithEnrollment(s, TE_A, "relEnAAAAAA", program) + ","
                + TrackerContractTest.teWithEnrollment(s, TE_B, "relEnBBBBBB", program) + "],\"relationships\":["
                + relationship(s, REL, TE_A, TE_B) + "]}");
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
    }

    private static JsonNode exportedRelationships(TrackerSandboxFixture s, String te, String extra) throws Exception {
        String uids = s.instance.version().atLeast(42) ? "trackedEntities" : "trackedEntity";
        var page = s.get("/api/tracker/trackedEntities?" + uids + "=" + te + "&ouMode=ACCESSIBLE&fields=*,relationships[*]"
                + extra);
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        JsonNode items = page.body().has("trackedEntities") ? page.body().path("trackedEntities")
                : page.body().path("instances");
        return items.path(0).path("relationships");
    }

    private static void setBidirectional(TrackerSandboxFixture s, boolean bidirectional) {
        ObjectNode type = s.instance.catalog().list(TrackerRefs.RELATIONSHIP_TYPES).get(0).deepCopy();
        type.put("bidirectional", bidirectional);
        s.instance.catalog().put(TrackerRefs.RELATIONSHIP_TYPES, type);
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract("REL-1")
    void exportNestsTheWholeTrackedEntityWithItsAttributesAndNoDeletedFlag(int minor) throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(minor)) {
            twoRelated(s);
            JsonNode rels = exportedRelationships(s, TE_A, "");
            assertThat(rels).hasSize(1);
            JsonNode r = rels.get(0);
            assertThat(r.path("relationship").asText()).isEqualTo(REL);
            assertThat(r.has("deleted")).isFalse();
            assertThat(r.path("relationshipName").asText()).isNotEmpty();
            assertThat(r.path("bidirectional").asBoolean()).isTrue();
            JsonNode to = r.path("to").path("trackedEntity");
            assertThat(to.path("trackedEntity").asText()).isEqualTo(TE_B);
            assertThat(to.path("orgUnit").asText()).isEqualTo(s.facility());
            assertThat(to.path("attributes").get(0).path("attribute").asText()).isEqualTo(s.attribute(0));
            assertThat(to.path("attributes").get(0).path("value").asText()).isEqualTo("a");
        }
    }

    @Test
    @Contract("REL-1")
    void anEventToTrackedEntityRelationshipHasTheShapeOfTheSdkFixture() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            String program = s.program("WITH_REGISTRATION").path("id").asText();
            assertThat(s.post("/api/tracker?async=false", "{\"trackedEntities\":["
                    + TrackerContractTest.teWithEnrollment(s, TE_A, "relEnAAAAAA", program) + "],\"events\":["
                    + s.newEvent("relEvAAAAAA") + "],\"relationships\":[{\"relationship\":\"VdjOfugUb9y\","
                    + "\"relationshipType\":\"" + s.id(TrackerRefs.RELATIONSHIP_TYPES, 0) + "\",\"from\":{\"event\":"
                    + "{\"event\":\"relEvAAAAAA\"}},\"to\":{\"trackedEntity\":{\"trackedEntity\":\"" + TE_A
                    + "\"}}}]}").status()).isEqualTo(200);
            var answer = s.get("/api/tracker/relationships?event=relEvAAAAAA&paging=false&fields=*");
            JsonNode exported = answer.body().path("relationships").get(0);
            JsonShape.Diff diff = JsonShape.diff(JsonShape.fixture("payloads/tracker/new_relationship.json"), exported);
            assertThat(diff.mismatched()).isEmpty();
            // what the sandbox world does not hold: user infos, geometry, notes, stored-by, category options, names
            assertThat(diff.missing()).allMatch(p -> p.contains("createdBy") || p.contains("updatedBy")
                    || p.contains("geometry") || p.contains("notes") || p.contains("storedBy")
                    || p.contains("assignedUser") || p.contains("attributeCategoryOptions")
                    || p.contains("attributeOptionCombo") || p.contains("orgUnitName") || p.contains("completedAt")
                    || p.contains("scheduledAt") || p.contains("followup") || p.contains("enrollment")
                    || p.contains("AtClient") || p.contains("displayName") || p.contains("valueType")
                    || p.contains("code") || p.contains("providedElsewhere"), "missing " + diff.missing());
            assertThat(exported.path("to").path("trackedEntity").path("attributes").get(0).path("value").asText())
                    .isEqualTo("a");
        }
    }

    @Test
    @Contract("REL-2")
    void aUnidirectionalRelationshipIsExportedOnlyWithItsFromEnd() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            setBidirectional(s, false);
            twoRelated(s);
            assertThat(exportedRelationships(s, TE_A, "")).hasSize(1);
            assertThat(exportedRelationships(s, TE_B, "")).isEmpty();
            setBidirectional(s, true);
            assertThat(exportedRelationships(s, TE_B, "")).hasSize(1);

            setBidirectional(s, false);
            assertThat(s.post("/api/tracker?async=false", "{\"events\":[" + s.newEvent("relEvAAAAAA") + ","
                    + s.newEvent("relEvBBBBBB") + "],\"relationships\":[{\"relationship\":\"relEvRelAAA\","
                    + "\"relationshipType\":\"" + s.id(TrackerRefs.RELATIONSHIP_TYPES, 0) + "\",\"from\":{\"event\":"
                    + "{\"event\":\"relEvAAAAAA\"}},\"to\":{\"event\":{\"event\":\"relEvBBBBBB\"}}}]}").status())
                    .isEqualTo(200);
            assertThat(eventRelationships(s, "relEvAAAAAA")).hasSize(1);
            assertThat(eventRelationships(s, "relEvBBBBBB")).isEmpty();
        }
    }

    private static JsonNode eventRelationships(TrackerSandboxFixture s, String event) throws Exception {
        var page = s.get("/api/tracker/events?event=" + event + "&fields=*,relationships[*]");
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        JsonNode items = page.body().has("events") ? page.body().path("events") : page.body().path("instances");
        return items.path(0).path("relationships");
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract("REL-3")
    void aFlatUidEndIsRejectedWith400AndNothingIsImported(int minor) throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(minor)) {
            String program = s.program("WITH_REGISTRATION").path("id").asText();
            String flat = "{\"relationship\":\"" + REL + "\",\"relationshipType\":\""
                    + s.id(TrackerRefs.RELATIONSHIP_TYPES, 0) + "\",\"from\":{\"trackedEntity\":\"" + TE_A
                    + "\"},\"to\":{\"trackedEntity\":\"" + TE_B + "\"}}";
            var answer = s.post("/api/tracker?async=false", "{\"trackedEntities\":["
                    + TrackerContractTest.teWithEnrollment(s, TE_A, "relEnAAAAAA", program) + ","
                    + TrackerContractTest.teWithEnrollment(s, TE_B, "relEnBBBBBB", program) + "],\"relationships\":["
                    + flat + "]}");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("message").asText()).contains("RelationshipItem$TrackedEntity")
                    .contains("no String-argument constructor");
            assertThat(s.store().get(Kind.TRACKED_ENTITY, TE_A)).isEmpty();
            assertThat(s.store().get(Kind.RELATIONSHIP, REL)).isEmpty();
        }
    }

    @Test
    @Contract("REL-4")
    void aRepostedRelationshipIsIgnoredWithAWarningOnlyInWarningsMode() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            twoRelated(s);
            Instant stored = s.store().get(Kind.RELATIONSHIP, REL).orElseThrow().updatedAt();
            // the same UID now pointing elsewhere: DHIS2 does not update relationships
            String moved = relationship(s, REL, TE_B, TE_A);
            var errorsMode = s.post("/api/tracker?async=false&importStrategy=CREATE_AND_UPDATE",
                    "{\"relationships\":[" + moved + "]}");
            assertThat(errorsMode.status()).as(errorsMode.raw()).isEqualTo(200);
            assertThat(errorsMode.body().path("status").asText()).isEqualTo("OK");
            assertThat(errorsMode.body().path("stats").path("ignored").asInt()).isEqualTo(1);
            assertThat(errorsMode.body().path("validationReport").path("warningReports")).isEmpty();
            assertThat(errorsMode.body().path("bundleReport").path("typeReportMap").path("RELATIONSHIP")
                    .path("objectReports")).isEmpty();
            for (String mode : List.of("WARNINGS", "FULL")) {
                var answer = s.post("/api/tracker?async=false&reportMode=" + mode, "{\"relationships\":[" + moved
                        + "]}");
                assertThat(answer.status()).isEqualTo(200);
                JsonNode w = answer.body().path("validationReport").path("warningReports");
                assertThat(w).as(mode).hasSize(1);
                assertThat(w.get(0).path("warningCode").asText()).isEqualTo("E4015");
                assertThat(w.get(0).path("uid").asText()).isEqualTo(REL);
                assertThat(answer.body().path("validationReport").path("errorReports")).isEmpty();
            }
            var item = s.store().get(Kind.RELATIONSHIP, REL).orElseThrow();
            assertThat(item.updatedAt()).isEqualTo(stored);
            assertThat(TrackerFormats.relationshipEnd(item.body().path("from"))).isEqualTo(TE_A);
            // importStrategy=CREATE stays an error (ExistenceValidator.validateNewRelationshipNotExistAlready)
            var create = s.post("/api/tracker?async=false&importStrategy=CREATE", "{\"relationships\":[" + moved
                    + "]}");
            assertThat(create.status()).isEqualTo(409);
            assertThat(create.body().path("validationReport").path("errorReports").get(0).path("errorCode").asText())
                    .isEqualTo("E4015");
        }
    }

    @Test
    @Contract("REL-5")
    void creatingOrDeletingARelationshipBumpsItsTrackedEntityOrigins() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            setBidirectional(s, false);
            String program = s.program("WITH_REGISTRATION").path("id").asText();
            assertThat(s.post("/api/tracker?async=false", "{\"trackedEntities\":["
                    + TrackerContractTest.teWithEnrollment(s, TE_A, "relEnAAAAAA", program) + ","
                    + TrackerContractTest.teWithEnrollment(s, TE_B, "relEnBBBBBB", program) + "]}").status())
                    .isEqualTo(200);
            List<Instant> before = times(s);
            assertThat(s.post("/api/tracker?async=false", "{\"relationships\":[" + relationship(s, REL, TE_A, TE_B)
                    + "]}").status()).isEqualTo(200);
            List<Instant> created = times(s);
            assertThat(created.get(0)).isAfter(before.get(0));
            assertThat(created.get(1)).isEqualTo(before.get(1)); // "to" of a unidirectional type: not an origin
            setBidirectional(s, true);
            assertThat(s.post("/api/tracker?async=false&importStrategy=DELETE", "{\"relationships\":[{"
                    + "\"relationship\":\"" + REL + "\"}]}").status()).isEqualTo(200);
            List<Instant> deleted = times(s);
            assertThat(deleted.get(0)).isAfter(created.get(0));
            assertThat(deleted.get(1)).isAfter(created.get(1));
        }
    }

    @Test
    @Contract({"REL-6", "REL-7"})
    void aDeletedRelationshipIsSoftDeletedAndExportedOnlyWithIncludeDeletedWithoutAFlag() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            twoRelated(s);
            var delete = s.post("/api/tracker?async=false&importStrategy=DELETE", "{\"relationships\":[{"
                    + "\"relationship\":\"" + REL + "\"}]}");
            assertThat(delete.body().path("stats").path("deleted").asInt()).isEqualTo(1);
            assertThat(s.store().get(Kind.RELATIONSHIP, REL).orElseThrow().deleted()).isTrue();
            assertThat(exportedRelationships(s, TE_A, "")).isEmpty();
            JsonNode withDeleted = exportedRelationships(s, TE_A, "&includeDeleted=true");
            assertThat(withDeleted).hasSize(1);
            assertThat(withDeleted.get(0).has("deleted")).isFalse();
            // sending it again: "already deleted" (E4017)
            var again = s.post("/api/tracker?async=false", "{\"relationships\":[" + relationship(s, REL, TE_A, TE_B)
                    + "]}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().path("validationReport").path("errorReports").get(0).path("errorCode").asText())
                    .isEqualTo("E4017");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract("REL-8")
    void relationshipsOfAnObjectAreListedWithoutDeletedOnesUnlessAsked(int minor) throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(minor)) {
            twoRelated(s);
            assertThat(s.get("/api/tracker/relationships").status()).isEqualTo(400);
            assertThat(s.get("/api/tracker/relationships?trackedEntity=" + TE_A + "&event=x").status()).isEqualTo(400);
            String key = minor <= 40 ? "instances" : "relationships";
            var live = s.get("/api/tracker/relationships?trackedEntity=" + TE_B + "&page=1&pageSize=1000");
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body().path(key)).hasSize(1); // either end
            assertThat(live.body().path(key).get(0).path("relationship").asText()).isEqualTo(REL);
            s.store().delete(Kind.RELATIONSHIP, REL);
            assertThat(s.get("/api/tracker/relationships?trackedEntity=" + TE_B + "&page=1&pageSize=1000").body()
                    .path(key)).isEmpty();
            assertThat(s.get("/api/tracker/relationships?trackedEntity=" + TE_B
                    + "&includeDeleted=true&page=1&pageSize=1000").body().path(key)).hasSize(1);
        }
    }

    @Test
    @Contract({"REL-10", "TRK-11"})
    void withoutFieldsTheRelationshipsOfAnObjectAreUidsOnlyAndAnUnknownObjectIs404() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            twoRelated(s);
            JsonNode slim = s.get("/api/tracker/relationships?trackedEntity=" + TE_A).body().path("relationships")
                    .get(0);
            assertThat(slim.path("relationship").asText()).isEqualTo(REL);
            assertThat(slim.has("relationshipName")).isFalse();
            for (String side : new String[] {"from", "to"}) {
                assertThat(slim.path(side).path("trackedEntity").size()).as(side).isEqualTo(1);
                assertThat(slim.path(side).path("trackedEntity").has("trackedEntity")).isTrue();
            }
            JsonNode full = s.get("/api/tracker/relationships?trackedEntity=" + TE_A + "&fields=*").body()
                    .path("relationships").get(0);
            assertThat(full.has("relationshipName")).isTrue();
            var unknown = s.get("/api/tracker/relationships?trackedEntity=NoSuchTe001");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body().path("errorCode").asText()).isEqualTo("E1005");
            assertThat(unknown.body().path("message").asText())
                    .isEqualTo("TrackedEntity with id NoSuchTe001 could not be found.");
        }
    }

    @Test
    @Contract("REL-9")
    void aSecondRelationshipLinkingTheSameEndsIsADuplicate() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            twoRelated(s);
            var same = s.post("/api/tracker?async=false", "{\"relationships\":["
                    + relationship(s, "relBBBBBBBB", TE_A, TE_B) + "]}");
            assertThat(same.status()).isEqualTo(409);
            JsonNode error = same.body().path("validationReport").path("errorReports").get(0);
            assertThat(error.path("errorCode").asText()).isEqualTo("E4018");
            assertThat(error.path("message").asText()).isEqualTo("Relationship: `relBBBBBBBB`, linking TRACKED_ENTITY: `"
                    + TE_A + "` to TRACKED_ENTITY: `" + TE_B + "` already exists.");
            // the other way round: a duplicate of a bidirectional type only
            var inverse = s.post("/api/tracker?async=false", "{\"relationships\":["
                    + relationship(s, "relCCCCCCCC", TE_B, TE_A) + "]}");
            assertThat(inverse.status()).isEqualTo(409);
            setBidirectional(s, false);
            var unidirectional = s.post("/api/tracker?async=false", "{\"relationships\":["
                    + relationship(s, "relCCCCCCCC", TE_B, TE_A) + "]}");
            assertThat(unidirectional.status()).as(unidirectional.raw()).isEqualTo(200);
        }
    }

    private static List<Instant> times(TrackerSandboxFixture s) {
        List<Instant> t = new ArrayList<>();
        t.add(s.store().get(Kind.TRACKED_ENTITY, TE_A).orElseThrow().updatedAt());
        t.add(s.store().get(Kind.TRACKED_ENTITY, TE_B).orElseThrow().updatedAt());
        return t;
    }
}
