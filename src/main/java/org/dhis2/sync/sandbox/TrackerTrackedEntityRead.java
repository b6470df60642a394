package org.dhis2.sync.sandbox;

import java.util.Optional;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * Whether {@code GET /api/tracker/trackedEntities/{uid}[?program=]} may answer a tracked entity, with each
 * version's refusal (rows DL-4 to DL-6 of CONTRACT.md):
 * <ul>
 *   <li>2.39/2.40 (TrackedEntitiesSupportService.getTrackedEntityInstance): unknown → 404; the registering org
 *       unit outside the search scope → 409 "[User has no read access to organisation unit: OU]"
 *       (DefaultTrackerAccessManager.canRead, IllegalQueryException); with a program, ownership denied → 401
 *       {@code PROGRAM_ACCESS_CLOSED} for a CLOSED program, else {@code OWNERSHIP_ACCESS_DENIED};
 *   <li>2.41 (DefaultTrackedEntityService.getTrackedEntity): unknown program or tracked entity → 404 E1005; with a
 *       program, ownership denied → 403 with canAccessProgramOwner's reason; without, no program of its type
 *       readable by ownership → 403 "User has no access to TrackedEntity:X";
 *   <li>2.42: a search by UID in the ACCESSIBLE scope, so whatever is out of reach is a 404.
 * </ul>
 * A superuser skips the ownership checks (DefaultTrackerOwnershipManager.canSkipOwnershipCheck).
 */
final class TrackerTrackedEntityRead {

    private final Dhis2Instance instance;
    private final TrackerAccess access;

    TrackerTrackedEntityRead(Dhis2Instance instance, TrackerAccess access) {
        this.instance = instance;
        this.access = access;
    }

    /** The tracked entity, or the version's error as a {@link Dhis2Exception}. */
    Item readable(String uid, String program) {
        int minor = instance.version().minor();
        Optional<Item> found = instance.tracker().get(Kind.TRACKED_ENTITY, uid).filter(i -> !i.deleted());
        if (minor <= 40) {
            Item te = found.orElseThrow(() -> Dhis2Exception.notFound(minor == 39
                    ? "TrackedEntityInstance not found for uid: " + uid
                    : "TrackedEntityInstance with id " + uid + " could not be found."));
            if (!access.superuser() && !access.inSearchScope(te.text("orgUnit"))) {
                throw Dhis2Exception.conflict("[User has no read access to organisation unit: "
                        + te.text("orgUnit") + "]", null);
            }
            if (program != null) {
                if (!instance.catalog().exists(TrackerRefs.PROGRAMS, program)) {
                    throw Dhis2Exception.notFound(minor == 39 ? "Program not found for uid: " + program
                            : "Program with id " + program + " could not be found.");
                }
                if (!access.hasAccess(te, program)) {
                    throw new Dhis2Exception(401, "Unauthorized", "CLOSED".equals(access.accessLevel(program))
                            ? TrackerAccess.PROGRAM_ACCESS_CLOSED : TrackerAccess.OWNERSHIP_ACCESS_DENIED);
                }
            }
            return te;
        }
        if (program != null && !instance.catalog().exists(TrackerRefs.PROGRAMS, program)) {
            throw notFound("Program", program);
        }
        Item te = found.orElseThrow(() -> notFound("TrackedEntity", uid));
        if (minor == 41) {
            if (program != null) {
                String denial = access.ownerDenial(te, program);
                if (denial != null) {
                    throw forbidden(denial);
                }
            } else if (!access.canRead(te)) {
                throw forbidden("User has no access to TrackedEntity:" + uid);
            }
            return te;
        }
        boolean reachable = program != null
                ? enrolled(te, program) && accessible(access.owner(te, program).orElse(null))
                        && access.hasAccess(te, program)
                : placedInSearchScope(te) && access.canRead(te);
        if (!reachable) {
            throw notFound("TrackedEntity", uid);
        }
        return te;
    }

    private boolean enrolled(Item te, String program) {
        return instance.tracker().children(Kind.ENROLLMENT, te.uid()).stream()
                .anyMatch(e -> program.equals(e.text("program")) && !e.deleted());
    }

    /** COALESCE(owner, registering org unit) in the ACCESSIBLE scope, for any of its programs. */
    private boolean placedInSearchScope(Item te) {
        if (accessible(te.text("orgUnit"))) {
            return true;
        }
        return instance.tracker().children(Kind.ENROLLMENT, te.uid()).stream().map(e -> e.text("program"))
                .distinct().anyMatch(p -> accessible(access.owner(te, p).orElse(null)));
    }

    /** In the ACCESSIBLE scope: below the search org units (or the capture ones when there are none). */
    private boolean accessible(String orgUnit) {
        return access.under(orgUnit, access.searchRoots());
    }

    private static Dhis2Exception notFound(String type, String uid) {
        return new Dhis2Exception(404, "Not Found", type + " with id " + uid + " could not be found.", "E1005");
    }

    private static Dhis2Exception forbidden(String message) {
        return new Dhis2Exception(403, "Forbidden", message, "E1006");
    }
}
