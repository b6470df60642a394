package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;

/** Behaviour of the tracker endpoints over real HTTP: paging, deletes, atomic modes, versions, rejections. */
class TrackerApiTest {

    private static List<String> uids(JsonNode page, String key, String idField) {
        List<String> result = new ArrayList<>();
        page.path(key).forEach(n -> result.add(n.path(idField).asText()));
        return result;
    }

    @Test
    void withoutAsyncFalseTheImportIsAJobWhoseReportCanBeFetched() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            var job = s.post("/api/tracker", "{\"events\":[" + s.newEvent("Y8FRzr4y2jG") + "]}");
            assertThat(job.body().path("response").path("responseType").asText()).isEqualTo("TrackerJob");
            assertThat(job.body().has("validationReport")).isFalse();
            String id = job.body().path("response").path("id").asText();
            var report = s.get("/api/tracker/jobs/" + id + "/report");
            assertThat(report.status()).isEqualTo(200);
            assertThat(report.body().path("status").asText()).isEqualTo("OK");
            assertThat(s.get("/api/tracker/jobs/" + id).body().path(0).path("completed").asBoolean()).isTrue();
            assertThat(s.get("/api/tracker/jobs/nonexisting1/report").status()).isEqualTo(404);
        }
    }

    @Test
    void pagingWithUpdatedAfterIsStableAndOrderedByUpdatedAt() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            TrackerGenerator.generateData(s.instance, GeneratorSpec.small());
            String program = s.program("WITHOUT_REGISTRATION").path("id").asText();
            int alive = (int) s.store().query(Kind.EVENT, null, null,
                    i -> !i.deleted() && program.equals(i.text("program")), false, 0, -1, false).items().size();
            assertThat(alive).isBetween(20, 30);
            String after = Dhis2Dates.tracker(s.store().query(Kind.EVENT, null, null, i -> true, false, 0, 1, false)
                    .items().get(0).updatedAt());
            List<String> seen = new ArrayList<>();
            String last = "";
            for (int page = 1; page < 20; page++) {
                JsonNode body = s.get("/api/tracker/events?program=" + program + "&updatedAfter=" + after
                        + "&order=updatedAt:asc&pageSize=7&page=" + page).body();
                List<String> ids = uids(body, "events", "event");
                for (JsonNode e : body.path("events")) {
                    assertThat(e.path("updatedAt").asText()).isGreaterThan(last);
                    last = e.path("updatedAt").asText();
                }
                seen.addAll(ids);
                if (ids.size() < 7) {
                    break;
                }
            }
            assertThat(seen).hasSize(alive).doesNotHaveDuplicates();
            // a change on local moves the event past the watermark of the last page
            String changed = seen.get(0);
            s.store().touch(Kind.EVENT, changed);
            JsonNode newer = s.get("/api/tracker/events?updatedAfter=" + last.replace(":", "%3A")
                    + "&totalPages=true").body();
            assertThat(uids(newer, "events", "event")).contains(changed);
            assertThat(newer.path("pager").path("total").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(newer.path("pageCount").asInt()).isEqualTo(1);
        }
    }

    @Test
    void pagerOnlyOn242WithNextPageLinkAndPagingFalse() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(42)) {
            for (int i = 0; i < 3; i++) {
                s.store().put(Kind.EVENT, "evt" + i + "AAAAAAA", s.newEvent("evt" + i + "AAAAAAA"));
            }
            JsonNode first = s.get("/api/tracker/events?pageSize=2").body();
            assertThat(first.has("page")).isFalse();
            assertThat(first.path("pager").path("nextPage").asText()).contains("page=2").contains("pageSize=2");
            JsonNode second = s.get("/api/tracker/events?pageSize=2&page=2").body();
            assertThat(second.path("pager").has("nextPage")).isFalse();
            assertThat(second.path("pager").path("prevPage").asText()).contains("page=1");
            JsonNode all = s.get("/api/tracker/events?paging=false").body();
            assertThat(all.has("pager")).isFalse();
            assertThat(all.path("events").size()).isEqualTo(3);
        }
    }

    @Test
    void deleteThenDeleteAgainGivesTheAlreadyDeletedCodes() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            String program = s.program("WITH_REGISTRATION").path("id").asText();
            String te = TrackerContractTest.teWithEnrollment(s, "teDeleteAAA", "enDeleteAAA", program);
            assertThat(s.post("/api/tracker?async=false", "{\"trackedEntities\":[" + te + "],\"events\":["
                    + s.newEvent("evDeleteAAA") + "]}").status()).isEqualTo(200);

            var deleted = s.post("/api/tracker?async=false&importStrategy=DELETE",
                    "{\"events\":[{\"event\":\"evDeleteAAA\"}]}");
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.body().at("/stats/deleted").asInt()).isEqualTo(1);
            var again = s.post("/api/tracker?async=false&importStrategy=DELETE",
                    "{\"events\":[{\"event\":\"evDeleteAAA\"}]}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().at("/validationReport/errorReports/0/errorCode").asText()).isEqualTo("E1082");
            var unknown = s.post("/api/tracker?async=false&importStrategy=DELETE",
                    "{\"events\":[{\"event\":\"evUnknownAA\"}]}");
            assertThat(unknown.body().at("/validationReport/errorReports/0/errorCode").asText()).isEqualTo("E1032");

            // deleting the tracked entity cascades; the enrollment is then already deleted
            assertThat(s.post("/api/tracker?async=false&importStrategy=DELETE",
                    "{\"trackedEntities\":[{\"trackedEntity\":\"teDeleteAAA\"}]}").status()).isEqualTo(200);
            assertThat(s.store().get(Kind.ENROLLMENT, "enDeleteAAA").orElseThrow().deleted()).isTrue();
            JsonNode errors = s.post("/api/tracker?async=false&importStrategy=DELETE&atomicMode=OBJECT",
                    "{\"trackedEntities\":[{\"trackedEntity\":\"teDeleteAAA\"}],\"enrollments\":"
                            + "[{\"enrollment\":\"enDeleteAAA\"}]}").body().at("/validationReport/errorReports");
            assertThat(errors.findValuesAsText("errorCode")).containsExactlyInAnyOrder("E1114", "E1113");
            // deleted objects are exported only with includeDeleted
            assertThat(s.get("/api/tracker/trackedEntities").body().path("trackedEntities").size()).isZero();
            assertThat(s.get("/api/tracker/trackedEntities?includeDeleted=true").body().path("trackedEntities")
                    .path(0).path("deleted").asBoolean()).isTrue();
        }
    }

    @Test
    void atomicModeAllRejectsEverythingAndObjectOnlyTheInvalidObjects() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            var bad = s.newEvent("evBadAAAAAA");
            bad.put("orgUnit", "NoSuchOrgUn");
            String payload = "{\"events\":[" + s.newEvent("evGoodAAAAA") + "," + bad + "]}";
            var all = s.post("/api/tracker?async=false", payload);
            assertThat(all.status()).isEqualTo(409);
            assertThat(all.body().has("bundleReport")).isFalse();
            assertThat(s.store().count(Kind.EVENT, true)).isZero();

            var object = s.post("/api/tracker?async=false&atomicMode=OBJECT", payload);
            assertThat(object.status()).isEqualTo(409);
            assertThat(object.body().at("/validationReport/errorReports/0/errorCode").asText()).isEqualTo("E1011");
            assertThat(object.body().at("/stats/created").asInt()).isEqualTo(1);
            assertThat(object.body().at("/stats/ignored").asInt()).isEqualTo(1);
            assertThat(object.body().at("/bundleReport/typeReportMap/EVENT/objectReports/0/uid").asText())
                    .isEqualTo("evGoodAAAAA");
            assertThat(s.store().get(Kind.EVENT, "evGoodAAAAA")).isPresent();
            assertThat(s.store().get(Kind.EVENT, "evBadAAAAAA")).isEmpty();
        }
    }

    @Test
    void inAtomicModeObjectAnInvalidEventDoesNotRejectItsTrackedEntity() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            var program = s.program("WITH_REGISTRATION");
            String stage = s.stageOf(program, 0);
            s.instance.faults().rejectedUids().add(s.dataElementsOf(stage).get(0));
            String te = TrackerContractTest.teWithEnrollment(s, "teObjectAAA", "enObjectAAA",
                    program.path("id").asText()).replace("\"events\":[]", "\"events\":[{\"event\":\"evObjectAAA\","
                    + "\"programStage\":\"" + stage + "\",\"orgUnit\":\"" + s.facility() + "\",\"occurredAt\":"
                    + "\"2024-01-02T00:00:00.000\",\"dataValues\":[{\"dataElement\":\""
                    + s.dataElementsOf(stage).get(0) + "\",\"value\":\"3\"}]}]");
            var answer = s.post("/api/tracker?async=false&atomicMode=OBJECT", "{\"trackedEntities\":[" + te + "]}");
            assertThat(answer.status()).isEqualTo(409);
            JsonNode error = answer.body().at("/validationReport/errorReports/0");
            assertThat(error.path("errorCode").asText()).isEqualTo("E1304");
            assertThat(error.path("trackerType").asText()).isEqualTo("EVENT");
            assertThat(error.path("args").isArray()).isTrue();
            assertThat(s.store().get(Kind.TRACKED_ENTITY, "teObjectAAA")).isPresent();
            assertThat(s.store().get(Kind.ENROLLMENT, "enObjectAAA")).isPresent();
            assertThat(s.store().get(Kind.EVENT, "evObjectAAA")).isEmpty();
            // an invalid parent takes its children along (E5000)
            var orphan = s.post("/api/tracker?async=false&atomicMode=OBJECT", "{\"trackedEntities\":["
                    + te.replace("teObjectAAA", "teOrphanAAA").replace(s.teType(), "NoSuchTypeA")
                    .replace("enObjectAAA", "enOrphanAAA").replace("evObjectAAA", "evOrphanAAA") + "]}");
            assertThat(orphan.body().at("/validationReport/errorReports").findValuesAsText("errorCode"))
                    .contains("E1005", "E5000");
            assertThat(s.store().get(Kind.ENROLLMENT, "enOrphanAAA")).isEmpty();
        }
    }

    @Test
    void oldEndpointsAreGoneIn242AndServedUpTo241() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(42)) {
            assertThat(s.get("/api/events").status()).isEqualTo(404);
            assertThat(s.get("/api/trackedEntityInstances").status()).isEqualTo(404);
            assertThat(s.post("/api/events?strategy=SYNC", "{\"events\":[]}").status()).isEqualTo(404);
            assertThat(s.post("/api/trackedEntityInstances", "{\"trackedEntityInstances\":[]}").status())
                    .isEqualTo(404);
            assertThat(s.get("/api/tracker/events").status()).isEqualTo(200);
        }
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(41)) {
            assertThat(s.get("/api/events").status()).isEqualTo(200);
            assertThat(s.get("/api/trackedEntityInstances").body().has("pager")).isFalse();
        }
    }

    @Test
    void oldEventSyncImportsCreatesUpdatesDeletesAndRejectsOneWithoutBlockingOthers() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(39)) {
            s.instance.faults().rejectedUids().add("evRejectAAA");
            var answer = s.post("/api/events?strategy=SYNC", "{\"events\":[" + s.oldEvent("evKeepAAAAA") + ","
                    + s.oldEvent("evRejectAAA") + "," + s.oldEvent("evGoneAAAAA") + "]}");
            assertThat(answer.status()).isEqualTo(409);
            JsonNode summaries = answer.body().path("response").path("importSummaries");
            assertThat(summaries.findValuesAsText("status")).containsExactly("SUCCESS", "ERROR", "SUCCESS");
            assertThat(answer.body().path("response").path("imported").asInt()).isEqualTo(2);
            assertThat(s.store().get(Kind.EVENT, "evKeepAAAAA")).isPresent();

            var second = s.post("/api/events?strategy=SYNC", "{\"events\":[" + s.oldEvent("evKeepAAAAA")
                    .put("status", "ACTIVE") + "," + s.oldEvent("evGoneAAAAA").put("deleted", true) + "]}");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body().path("response").path("updated").asInt()).isEqualTo(1);
            assertThat(second.body().path("response").path("deleted").asInt()).isEqualTo(1);
            assertThat(s.store().get(Kind.EVENT, "evGoneAAAAA").orElseThrow().deleted()).isTrue();
            assertThat(s.store().get(Kind.EVENT, "evKeepAAAAA").orElseThrow().text("status")).isEqualTo("ACTIVE");
            // the old export sees the change with old names
            JsonNode page = s.get("/api/events?includeDeleted=true&order=lastUpdated:asc").body();
            assertThat(page.path("pager").path("isLastPage").asBoolean()).isTrue();
            assertThat(page.path("events").path(0).has("eventDate")).isTrue();
        }
    }

    @Test
    void unknownMetadataInOldTeiImportIsAConflict() throws Exception {
        try (TrackerSandboxFixture s = new TrackerSandboxFixture(40)) {
            var answer = s.post("/api/trackedEntityInstances?strategy=SYNC", "{\"trackedEntityInstances\":["
                    + "{\"trackedEntityInstance\":\"teiBadAAAAA\",\"trackedEntityType\":\"" + s.teType()
                    + "\",\"orgUnit\":\"" + s.facility() + "\",\"attributes\":[{\"attribute\":\"NoSuchAttrA\","
                    + "\"value\":\"1\"}]}]}");
            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.body().at("/response/importSummaries/0/conflicts/0/object").asText())
                    .isEqualTo("Attribute.attribute");
            assertThat(s.store().get(Kind.TRACKED_ENTITY, "teiBadAAAAA")).isEmpty();
        }
    }

    @Test
    void generatorIsDeterministicAndPutsSkipSyncWhereDhis2HasIt() throws Exception {
        Dhis2Instance a = new Dhis2Instance("a", Dhis2Version.of(40));
        Dhis2Instance b = new Dhis2Instance("b", Dhis2Version.of(40));
        for (Dhis2Instance i : List.of(a, b)) {
            TrackerGenerator.generateMetadata(i, GeneratorSpec.small());
            TrackerGenerator.generateData(i, GeneratorSpec.small());
        }
        assertThat(a.catalog().list(TrackerRefs.PROGRAMS).stream().map(p -> p.path("id").asText()).toList())
                .isEqualTo(b.catalog().list(TrackerRefs.PROGRAMS).stream().map(p -> p.path("id").asText()).toList());
        assertThat(a.tracker().count(Kind.TRACKED_ENTITY, true)).isEqualTo(12);
        assertThat(a.tracker().count(Kind.TRACKED_ENTITY, false)).isEqualTo(11);
        assertThat(a.tracker().count(Kind.EVENT, true)).isGreaterThan(30 + 12 * 2);
        assertThat(a.tracker().count(Kind.RELATIONSHIP, true)).isPositive();
        var tracker = a.catalog().list(TrackerRefs.PROGRAMS).stream()
                .filter(p -> "WITH_REGISTRATION".equals(p.path("programType").asText())).findFirst().orElseThrow();
        // the flag is on the attribute (TRK-1), the program's link to it has none
        assertThat(tracker.path("programTrackedEntityAttributes").findValues("skipSynchronization")).isEmpty();
        assertThat(a.catalog().list(TrackerRefs.ATTRIBUTES).stream()
                .map(x -> x.path("skipSynchronization").asText()).toList()).contains("true", "false");
        assertThat(a.catalog().list(TrackerRefs.ATTRIBUTES).stream()
                .filter(x -> x.path("generated").asBoolean()).findFirst().orElseThrow().path("pattern").asText())
                .isEqualTo("RANDOM(#####)");
        assertThat(a.catalog().list(TrackerRefs.PROGRAM_STAGES).get(0).path("programStageDataElements")
                .findValuesAsText("skipSynchronization")).contains("true");
        assertThat(Set.copyOf(a.catalog().list(TrackerRefs.DATA_ELEMENTS).stream()
                .map(d -> d.path("domainType").asText()).toList())).containsExactly("TRACKER");
    }
}
