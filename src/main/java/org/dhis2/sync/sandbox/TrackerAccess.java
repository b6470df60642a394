package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * What the instance's user may read of tracker data, as DHIS2 decides it (rows DL-n of CONTRACT.md):
 * <ul>
 *   <li>capture scope: the user's data capture org units ({@code /api/me organisationUnits}) and their descendants;
 *   <li>search scope: the tracked entity search org units ({@code teiSearchOrganisationUnits}), falling back to the
 *       capture ones, plus the capture scope (User.getTeiSearchOrganisationUnitsWithFallback,
 *       isInUserSearchHierarchy);
 *   <li>ownership (DefaultTrackerOwnershipManager.hasAccess): OPEN/AUDITED programs need the owner in the search
 *       scope, PROTECTED in the capture scope or a live temporary override, CLOSED in the capture scope; a
 *       superuser (authority ALL) and event programs skip the check.
 * </ul>
 * Sandbox convention kept from before: a user without capture org units sees the whole hierarchy.
 */
final class TrackerAccess {

    static final String OWNERSHIP_ACCESS_DENIED = "OWNERSHIP_ACCESS_DENIED";
    static final String PROGRAM_ACCESS_CLOSED = "PROGRAM_ACCESS_CLOSED";
    static final String NO_READ_ACCESS_TO_ORG_UNIT = "User has no read access to organisation unit";

    private final Dhis2Instance instance;
    private final TrackerRefs refs;

    TrackerAccess(Dhis2Instance instance) {
        this.instance = instance;
        this.refs = new TrackerRefs(instance.catalog());
    }

    boolean superuser() {
        return instance.userAuthorities().contains("ALL");
    }

    /** Roots of the capture scope (empty: everything). */
    List<String> captureRoots() {
        return List.copyOf(instance.userOrgUnits());
    }

    /** Roots of the search scope: search org units, or the capture ones when there are none (empty: everything). */
    List<String> searchRoots() {
        List<String> search = instance.userSearchOrgUnits();
        return search.isEmpty() ? captureRoots() : List.copyOf(search);
    }

    boolean inCaptureScope(String orgUnit) {
        return under(orgUnit, captureRoots());
    }

    boolean inSearchScope(String orgUnit) {
        return under(orgUnit, searchRoots()) || inCaptureScope(orgUnit);
    }

    /** Whether the unit is one of the roots or below one (no roots: everything). */
    boolean under(String orgUnit, List<String> roots) {
        if (roots.isEmpty()) {
            return true;
        }
        if (orgUnit == null) {
            return false;
        }
        List<String> path = refs.path(orgUnit);
        return roots.stream().anyMatch(path::contains);
    }

    /** The program's {@code accessLevel} (OPEN when unset: DHIS2's default). */
    String accessLevel(String program) {
        return instance.catalog().get(TrackerRefs.PROGRAMS, program)
                .map(p -> p.path("accessLevel").asText("OPEN")).orElse("OPEN");
    }

    /**
     * The owner org unit of a (tracked entity, program) pair: the explicit one, else the org unit of the first
     * enrollment in the program (DHIS2 assigns ownership when the enrollment is created), else none.
     */
    Optional<String> owner(Item te, String program) {
        Optional<String> explicit = instance.trackerOwnership().explicitOwner(te.uid(), program);
        if (explicit.isPresent()) {
            return explicit;
        }
        return instance.tracker().children(Kind.ENROLLMENT, te.uid()).stream()
                .filter(e -> program.equals(e.text("program")))
                .min(Comparator.comparing(Item::createdAt).thenComparing(Item::uid))
                .map(e -> e.text("orgUnit"));
    }

    /** Owner with DHIS2's fallback to the registering org unit (DefaultTrackerOwnershipManager.getOwner). */
    String ownerOrRegistration(Item te, String program) {
        return owner(te, program).orElse(te.text("orgUnit"));
    }

    /** DefaultTrackerOwnershipManager.hasAccess(user, trackedEntity, program) of the version. */
    boolean hasAccess(Item te, String program) {
        if (program == null || superuser() || !refs.isTrackerProgram(program)) {
            return true;
        }
        String owner = ownerOrRegistration(te, program);
        return switch (accessLevel(program)) {
            case "PROTECTED" -> inCaptureScope(owner)
                    || instance.trackerOwnership().hasTemporaryAccess(instance.username(), te.uid(), program);
            // up to 2.40 an override (granted while the program was PROTECTED) opens a CLOSED program too
            case "CLOSED" -> inCaptureScope(owner) || (!instance.version().atLeast(41)
                    && instance.trackerOwnership().hasTemporaryAccess(instance.username(), te.uid(), program));
            default -> inSearchScope(owner);
        };
    }

    /**
     * DefaultTrackerAccessManager.canRead(user, trackedEntity): readable when the ownership of at least one tracker
     * program of its tracked entity type allows it.
     */
    boolean canRead(Item te) {
        if (superuser()) {
            return true;
        }
        String type = te.text("trackedEntityType");
        for (ObjectNode p : instance.catalog().list(TrackerRefs.PROGRAMS)) {
            String id = p.path("id").asText();
            if (refs.isTrackerProgram(id) && type != null
                    && type.equals(p.path("trackedEntityType").path("id").asText()) && hasAccess(te, id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * DefaultTrackerAccessManager.canRead(user, trackedEntity) of the version, as the relationship export applies
     * it to both ends: 2.39/2.40 the registering org unit in the search scope; 2.41+ {@link #canRead}.
     */
    boolean canReadTrackedEntity(Item te) {
        if (superuser()) {
            return true;
        }
        return instance.version().atLeast(41) ? canRead(te) : inSearchScope(te.text("orgUnit"));
    }

    /** DefaultTrackerAccessManager.canAccessProgramOwner (2.41): null, or why the owner is out of reach. */
    String ownerDenial(Item te, String program) {
        if (hasAccess(te, program)) {
            return null;
        }
        return switch (accessLevel(program)) {
            case "PROTECTED" -> inSearchScope(ownerOrRegistration(te, program)) ? OWNERSHIP_ACCESS_DENIED
                    : NO_READ_ACCESS_TO_ORG_UNIT;
            case "CLOSED" -> PROGRAM_ACCESS_CLOSED;
            default -> NO_READ_ACCESS_TO_ORG_UNIT;
        };
    }
}
