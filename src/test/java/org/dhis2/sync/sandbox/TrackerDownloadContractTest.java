package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dhis2.sync.sandbox.TrackerStore.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a tracker download (central to local) reads, as DHIS2 2.39–2.42 serves it (CONTRACT.md, DL rows): the
 * CAPTURE and ACCESSIBLE scopes by program owner, reading tracked entities by UID, the single tracked entity
 * endpoint, program access levels with ownership, relationships to tracked entities out of reach, and the
 * temporary ownership override.
 *
 * <p>The world: a root with facilities F1 and F2; the user captures in F1 and searches from the root (unless a test
 * says otherwise), and is not a superuser (a superuser skips every ownership check). A is registered and enrolled
 * in F1, B in F2, C in F2 but owned by F1 for the program, D in F1 but owned by F2.
 */
class TrackerDownloadContractTest {

    private static final String A = "teDownAAAAA";
    private static final String B = "teDownBBBBB";
    private static final String C = "teDownCCCCC";
    private static final String D = "teDownDDDDD";

    private static final class World implements AutoCloseable {
        final TrackerSandboxFixture s;
        final String program;
        final String root;
        final String f1;
        final String f2;

        World(int minor) throws Exception {
            s = new TrackerSandboxFixture(minor);
            program = s.program("WITH_REGISTRATION").path("id").asText();
            List<String> facilities = new ArrayList<>();
            String r = null;
            for (JsonNode ou : s.instance.catalog().list(TrackerRefs.ORG_UNITS)) {
                if (ou.has("parent")) {
                    facilities.add(ou.path("id").asText());
                } else {
                    r = ou.path("id").asText();
                }
            }
            root = r;
            f1 = facilities.get(0);
            f2 = facilities.get(1);
            s.instance.setUserCaptureOrgUnits(f1);
            s.instance.setUserSearchOrgUnits(root);
            s.instance.setSuperuser(false);
            TrackerSeeds.enrolledTrackedEntity(s.instance, A, "enDownAAAAA", program, f1);
            TrackerSeeds.enrolledTrackedEntity(s.instance, B, "enDownBBBBB", program, f2);
            TrackerSeeds.enrolledTrackedEntity(s.instance, C, "enDownCCCCC", program, f2);
            s.instance.trackerOwnership().setOwner(C, program, f1);
            TrackerSeeds.enrolledTrackedEntity(s.instance, D, "enDownDDDDD", program, f1);
            s.instance.trackerOwnership().setOwner(D, program, f2);
        }

        String mode() {
            return s.instance.version().atLeast(41) ? "orgUnitMode" : "ouMode";
        }

        String uidsParam() {
            return s.instance.version().atLeast(42) ? "trackedEntities" : "trackedEntity";
        }

        JsonNode page(String query) throws Exception {
            var answer = s.get("/api/tracker/trackedEntities?" + query);
            assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
            return answer.body().has("instances") ? answer.body().path("instances")
                    : answer.body().path("trackedEntities");
        }

        List<String> uids(String query) throws Exception {
            List<String> uids = new ArrayList<>();
            page(query).forEach(te -> uids.add(te.path("trackedEntity").asText()));
            return uids;
        }

        TrackerSandboxFixture.Answer one(String uid, String query) throws Exception {
            return s.get("/api/tracker/trackedEntities/" + uid + (query.isEmpty() ? "" : "?" + query));
        }

        TrackerSandboxFixture.Answer override(String params) throws Exception {
            return s.post("/api/tracker/ownership/override?" + params, "");
        }

        @Override
        public void close() {
            s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract("DL-1")
    void captureScopeIsTheCaptureOrgUnitsAndTheirDescendantsByProgramOwner(int minor) throws Exception {
        try (World w = new World(minor)) {
            String query = "program=" + w.program + "&" + w.mode() + "=CAPTURE&updatedAfter=2000-01-01T00:00:00.000"
                    + "&order=updatedAt:asc&page=1&pageSize=50&fields=trackedEntity,updatedAt";
            assertThat(w.uids(query)).as("by the program's owner").containsExactly(A, C);

            // without a program: the registering org unit, and from 2.41 also any owner (COALESCE(PO, TE))
            String type = "trackedEntityType=" + w.s.teType() + "&" + w.mode() + "=CAPTURE";
            assertThat(w.uids(type)).containsExactlyInAnyOrderElementsOf(minor >= 41 ? List.of(A, C, D) : List.of(A, D));

            // the capture root's descendants are in scope
            w.s.instance.setUserCaptureOrgUnits(w.root);
            assertThat(w.uids(query)).containsExactlyInAnyOrder(A, B, C, D);

            if (minor == 40) { // 2.40 places a superuser's tracked entities by their registering org unit
                w.s.instance.setUserCaptureOrgUnits(w.f1);
                w.s.instance.setSuperuser(true);
                assertThat(w.uids(query)).containsExactlyInAnyOrder(A, D);
            }
        }
    }

    @Test
    @Contract("DL-2")
    void accessibleIsTheSearchScopeFallingBackToCaptureAndMeReportsBoth() throws Exception {
        try (World w = new World(41)) {
            String query = "program=" + w.program + "&orgUnitMode=ACCESSIBLE&fields=trackedEntity";
            assertThat(w.uids(query)).containsExactlyInAnyOrder(A, B, C, D);
            JsonNode me = w.s.get("/api/me").body();
            assertThat(me.path("organisationUnits").findValuesAsText("id")).containsExactly(w.f1);
            assertThat(me.path("teiSearchOrganisationUnits").findValuesAsText("id")).containsExactly(w.root);

            w.s.instance.setUserSearchOrgUnits(); // none: the capture org units are the search scope
            assertThat(w.uids(query)).containsExactlyInAnyOrder(A, C);
            assertThat(w.s.get("/api/me").body().path("teiSearchOrganisationUnits")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 41, 42})
    @Contract("DL-3")
    void severalTrackedEntitiesAreReadByUidWithNestedFieldFilters(int minor) throws Exception {
        try (World w = new World(minor)) {
            String stage = w.s.stageOf(w.s.program("WITH_REGISTRATION"), 0);
            TrackerSeeds.event(w.s.instance, "evDownAAAAA", "enDownAAAAA", stage);
            TrackerSeeds.relationship(w.s.instance, "reDownAAAAA", w.s.id(TrackerRefs.RELATIONSHIP_TYPES, 0), A, C);
            String fields = "trackedEntity,updatedAt,enrollments[enrollment,updatedAt,events[event,updatedAt]],"
                    + "relationships[relationship,updatedAt]";
            JsonNode page = w.page(w.uidsParam() + "=" + A + ";" + B + "&" + w.mode() + "=ACCESSIBLE&fields=" + fields);
            assertThat(page.findValuesAsText("trackedEntity")).containsExactlyInAnyOrder(A, B);
            JsonNode a = page.get(page.path(0).path("trackedEntity").asText().equals(A) ? 0 : 1);
            assertThat(names(a)).containsExactlyInAnyOrder("trackedEntity", "updatedAt", "enrollments", "relationships");
            assertThat(names(a.at("/enrollments/0"))).containsExactlyInAnyOrder("enrollment", "updatedAt", "events");
            assertThat(names(a.at("/enrollments/0/events/0"))).containsExactlyInAnyOrder("event", "updatedAt");
            assertThat(names(a.at("/relationships/0"))).containsExactlyInAnyOrder("relationship", "updatedAt");
            assertThat(a.at("/enrollments/0/events/0/updatedAt").asText()).isEqualTo(Dhis2Dates.tracker(
                    w.s.store().get(Kind.EVENT, "evDownAAAAA").orElseThrow().updatedAt()));

            // the other version's parameter name is not the UID filter there
            String other = minor >= 42 ? "trackedEntity" : "trackedEntities";
            if (minor == 41) {
                assertThat(w.uids("trackedEntities=" + A + "," + B + "&fields=trackedEntity"))
                        .containsExactlyInAnyOrder(A, B);
                var both = w.s.get("/api/tracker/trackedEntities?trackedEntity=" + A + "&trackedEntities=" + B);
                assertThat(both.status()).isEqualTo(400);
                assertThat(both.body().path("message").asText()).isEqualTo("Only one parameter of 'trackedEntity' "
                        + "and 'trackedEntities' must be specified. Prefer 'trackedEntities' as 'trackedEntity' will "
                        + "be removed.");
            } else {
                assertThat(w.uids(other + "=" + A + "&" + w.mode() + "=ACCESSIBLE&program=" + w.program
                        + "&fields=trackedEntity")).containsExactlyInAnyOrder(A, B, C, D);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract({"DL-4", "TRK-13"})
    void oneTrackedEntityHasTheShapeOfAListElementAndUnknownOnesAre404(int minor) throws Exception {
        try (World w = new World(minor)) {
            w.s.instance.setSuperuser(true);
            String fields = "*,enrollments[*],programOwners";
            JsonNode listed = w.page(w.uidsParam() + "=" + A + "&" + w.mode() + "=ACCESSIBLE&fields=" + fields).path(0);
            var one = w.one(A, "program=" + w.program + "&fields=" + fields);
            assertThat(one.status()).as(one.raw()).isEqualTo(200);
            assertThat(one.body()).isEqualTo(listed);
            assertThat(one.body().at("/enrollments/0/enrollment").asText()).isEqualTo("enDownAAAAA");
            assertThat(w.one(A, "").body().has("enrollments")).as("no nested collections by default").isFalse();

            var unknown = w.one("teDownXXXXX", "");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body().path("message").asText()).isEqualTo(switch (minor) {
                case 39 -> "TrackedEntityInstance not found for uid: teDownXXXXX";
                case 40 -> "TrackedEntityInstance with id teDownXXXXX could not be found.";
                default -> "TrackedEntity with id teDownXXXXX could not be found.";
            });
            var unknownProgram = w.one(A, "program=prDownXXXXX");
            assertThat(unknownProgram.status()).isEqualTo(404);
            assertThat(unknownProgram.body().path("message").asText()).isEqualTo(minor == 39
                    ? "Program not found for uid: prDownXXXXX" : "Program with id prDownXXXXX could not be found.");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40, 41, 42})
    @Contract("DL-5")
    void protectedAndClosedProgramsDenyAnOwnerOutsideTheCaptureScope(int minor) throws Exception {
        try (World w = new World(minor)) {
            String withProgram = "program=" + w.program;
            assertThat(w.one(B, withProgram).status()).as("OPEN: owner in the search scope").isEqualTo(200);

            w.s.instance.setProgramAccessLevel(w.program, "PROTECTED");
            assertDenied(w.one(B, withProgram), minor, "OWNERSHIP_ACCESS_DENIED", B);
            assertThat(w.one(A, withProgram).status()).isEqualTo(200);
            assertThat(w.one(C, withProgram).status()).as("owned in F1, registered in F2").isEqualTo(200);

            w.s.instance.setProgramAccessLevel(w.program, "CLOSED");
            assertDenied(w.one(B, withProgram), minor, "PROGRAM_ACCESS_CLOSED", B);

            // 2.42 drops what ownership denies from an ACCESSIBLE list too; 2.39-2.41 place it by owner only
            List<String> accessible = w.uids(withProgram + "&" + w.mode() + "=ACCESSIBLE&fields=trackedEntity");
            assertThat(accessible).containsExactlyInAnyOrderElementsOf(minor >= 42 ? List.of(A, C)
                    : List.of(A, B, C, D));

            w.s.instance.setSuperuser(true);
            assertThat(w.one(B, withProgram).status()).as("a superuser skips ownership").isEqualTo(200);
            if (minor == 41) {
                w.s.instance.setSuperuser(false);
                w.s.instance.setProgramAccessLevel(w.program, "PROTECTED");
                w.s.instance.setUserSearchOrgUnits(w.f1);
                var outside = w.one(B, withProgram);
                assertThat(outside.status()).isEqualTo(403);
                assertThat(outside.body().path("message").asText())
                        .isEqualTo("User has no read access to organisation unit");
            }
        }
    }

    private static void assertDenied(TrackerSandboxFixture.Answer answer, int minor, String code, String uid) {
        if (minor <= 40) {
            assertThat(answer.status()).as(answer.raw()).isEqualTo(401);
            assertThat(answer.body().path("message").asText()).isEqualTo(code);
        } else if (minor == 41) {
            assertThat(answer.status()).as(answer.raw()).isEqualTo(403);
            assertThat(answer.body().path("message").asText()).isEqualTo(code);
        } else {
            assertThat(answer.status()).as(answer.raw()).isEqualTo(404);
            assertThat(answer.body().path("message").asText())
                    .isEqualTo("TrackedEntity with id " + uid + " could not be found.");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 41, 42})
    @Contract("DL-6")
    void relationshipsToTrackedEntitiesOutOfReachAreLeftOutAndTheOtherEndIsReadableInSearchScope(int minor)
            throws Exception {
        try (World w = new World(minor)) {
            TrackerSeeds.relationship(w.s.instance, "reDownABBBB", w.s.id(TrackerRefs.RELATIONSHIP_TYPES, 0), A, B);
            String query = "program=" + w.program + "&" + w.mode() + "=CAPTURE&fields=trackedEntity,relationships";
            JsonNode a = w.page(query).path(0);
            assertThat(a.path("trackedEntity").asText()).isEqualTo(A);
            assertThat(a.at("/relationships/0/to/trackedEntity/trackedEntity").asText())
                    .as("the other end nested").isEqualTo(B);
            assertThat(w.one(B, "").status()).as("OPEN programs: B's owner is in the search scope").isEqualTo(200);

            for (JsonNode p : w.s.instance.catalog().list(TrackerRefs.PROGRAMS)) {
                if ("WITH_REGISTRATION".equals(p.path("programType").asText())) {
                    w.s.instance.setProgramAccessLevel(p.path("id").asText(), "PROTECTED");
                }
            }
            JsonNode again = w.page(query).path(0);
            var b = w.one(B, "");
            if (minor <= 40) { // canRead(user, tei): the registering org unit in the search scope
                assertThat(again.path("relationships")).hasSize(1);
                assertThat(b.status()).isEqualTo(200);
            } else {
                assertThat(again.path("relationships")).isEmpty();
                assertThat(b.status()).isEqualTo(minor == 41 ? 403 : 404);
                assertThat(b.body().path("message").asText()).isEqualTo(minor == 41
                        ? "User has no access to TrackedEntity:" + B
                        : "TrackedEntity with id " + B + " could not be found.");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {41, 42})
    @Contract("DL-7")
    void anOverrideOpensAProtectedTrackedEntityForThreeHours(int minor) throws Exception {
        try (World w = new World(minor)) {
            w.s.instance.setProgramAccessLevel(w.program, "PROTECTED");
            String withProgram = "program=" + w.program;
            assertThat(w.one(B, withProgram).status()).isIn(403, 404);

            var granted = w.override("trackedEntity=" + B + "&program=" + w.program + "&reason=download");
            assertThat(granted.status()).as(granted.raw()).isEqualTo(200);
            assertThat(granted.body().path("message").asText()).isEqualTo("Temporary Ownership granted");
            assertThat(granted.body().path("httpStatusCode").asInt()).isEqualTo(200);
            List<TrackerOwnership.Override> overrides = w.s.instance.trackerOwnership().overrides();
            assertThat(overrides).hasSize(1);
            TrackerOwnership.Override o = overrides.get(0);
            assertThat(List.of(o.username(), o.trackedEntity(), o.program(), o.reason()))
                    .containsExactly("admin", B, w.program, "download");
            assertThat(Duration.between(o.grantedAt(), o.validUntil())).isEqualTo(Duration.ofHours(3));

            assertThat(w.one(B, withProgram).status()).as("readable while the override lasts").isEqualTo(200);
            assertThat(w.uids(withProgram + "&orgUnitMode=CAPTURE&fields=trackedEntity"))
                    .as("the owner is still outside the capture scope").doesNotContain(B);
            w.s.instance.clock().setOffset(Duration.ofHours(3).plusMinutes(1));
            assertThat(w.one(B, withProgram).status()).as("expired").isIn(403, 404);
            w.s.instance.clock().setOffset(Duration.ZERO);

            var unknown = w.override("trackedEntity=teDownXXXXX&program=" + w.program + "&reason=r");
            assertThat(unknown.status()).isEqualTo(403);
            assertThat(unknown.body().path("message").asText())
                    .isEqualTo("Temporary ownership not created. Tracked entity supplied does not exist.");

            w.s.instance.setProgramAccessLevel(w.program, "CLOSED");
            var closed = w.override("trackedEntity=" + B + "&program=" + w.program + "&reason=r");
            assertThat(closed.status()).isEqualTo(403);
            assertThat(closed.body().path("message").asText()).isEqualTo("Temporary ownership not created. "
                    + "Temporary ownership can only be granted to protected programs. " + w.program
                    + " access level is CLOSED.");

            w.s.instance.setProgramAccessLevel(w.program, "PROTECTED");
            w.s.instance.setSuperuser(true);
            var superuser = w.override("trackedEntity=" + B + "&program=" + w.program + "&reason=r");
            assertThat(superuser.status()).isEqualTo(403);
            assertThat(superuser.body().path("message").asText())
                    .isEqualTo("Temporary ownership not created. Current user is a superuser.");
            w.s.instance.setSuperuser(false);

            var deprecated = w.override("trackedEntityInstance=" + B + "&program=" + w.program + "&reason=r");
            if (minor == 41) {
                assertThat(deprecated.status()).isEqualTo(200);
                assertThat(w.override("trackedEntityInstance=" + B + "&trackedEntity=" + B + "&program="
                        + w.program + "&reason=r").status()).isEqualTo(400);
            } else {
                assertThat(deprecated.status()).isEqualTo(400);
            }
            assertThat(w.s.instance.trackerOwnership().overrides()).hasSize(minor == 41 ? 2 : 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 40})
    @Contract("DL-8")
    void before241TheOverrideReadsTrackedEntityInstanceAndQuietlyIgnoresWhatItCannotGrant(int minor)
            throws Exception {
        try (World w = new World(minor)) {
            w.s.instance.setProgramAccessLevel(w.program, "CLOSED");
            var closed = w.override("trackedEntityInstance=" + B + "&program=" + w.program + "&reason=r");
            assertThat(closed.status()).isEqualTo(200);
            assertThat(closed.body().path("message").asText()).isEqualTo("Temporary Ownership granted");
            assertThat(w.s.instance.trackerOwnership().overrides()).isEmpty();
            assertThat(w.one(B, "program=" + w.program).status()).isEqualTo(401);

            var newName = w.override("trackedEntity=" + B + "&program=" + w.program + "&reason=r");
            assertThat(newName.status()).isEqualTo(400);
            assertThat(newName.body().path("message").asText()).isEqualTo("Required request parameter "
                    + "'trackedEntityInstance' for method parameter type String is not present");

            w.s.instance.setProgramAccessLevel(w.program, "PROTECTED");
            assertThat(w.override("trackedEntityInstance=" + B + "&program=" + w.program + "&reason=r").status())
                    .isEqualTo(200);
            assertThat(w.s.instance.trackerOwnership().overrides()).hasSize(1);
            assertThat(w.one(B, "program=" + w.program).status()).isEqualTo(200);
        }
    }

    @Test
    @Contract("DL-9")
    void programsServeTheirAccessLevelAndTheExportTheOwnerOrgUnit() throws Exception {
        try (World w = new World(41)) {
            JsonNode programs = w.s.get("/api/programs?fields=id,accessLevel&paging=false").body().path("programs");
            assertThat(programs.findValuesAsText("accessLevel")).containsOnly("OPEN");
            w.s.instance.setProgramAccessLevel(w.program, "AUDITED");
            assertThat(w.s.get("/api/programs/" + w.program + "?fields=accessLevel").body().path("accessLevel")
                    .asText()).isEqualTo("AUDITED");

            // registered in F2, enrolled in F1: the enrollment's org unit owns
            TrackerSeeds.enrolledTrackedEntity(w.s.instance, "teDownEEEEE", "enDownEEEEE", w.program, w.f1);
            w.s.store().put(Kind.TRACKED_ENTITY, "teDownEEEEE", w.s.store().get(Kind.TRACKED_ENTITY, "teDownEEEEE")
                    .orElseThrow().toJson().put("orgUnit", w.f2));
            JsonNode page = w.page("trackedEntities=teDownEEEEE," + C + "&fields=trackedEntity,orgUnit,programOwners");
            for (JsonNode te : page) {
                assertThat(te.at("/programOwners/0/orgUnit").asText()).as(te.toString()).isEqualTo(w.f1);
                assertThat(te.at("/programOwners/0/program").asText()).isEqualTo(w.program);
                assertThat(te.path("orgUnit").asText()).isEqualTo(w.f2);
            }
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
