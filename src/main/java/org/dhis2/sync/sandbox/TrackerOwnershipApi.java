package org.dhis2.sync.sandbox;

import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * {@code POST /api/tracker/ownership/override?trackedEntity=&program=&reason=} ("break the glass"): grants the user
 * temporary ownership of a tracked entity in a PROTECTED program for {@link TrackerOwnership#OVERRIDE_VALIDITY},
 * answered with the WebMessage "Temporary Ownership granted" (TrackerOwnershipController). Rows DL-7, DL-8:
 * <ul>
 *   <li>2.39/2.40 read {@code trackedEntityInstance}; the grant silently does nothing (still 200) for a superuser,
 *       an unknown program or tracked entity, or a program that is not PROTECTED;
 *   <li>2.41 reads {@code trackedEntity} or the deprecated {@code trackedEntityInstance}, 2.42 {@code trackedEntity};
 *       both refuse with 403 and DefaultTrackerOwnershipManager.validateGrantTemporaryOwnershipInputs' message.
 * </ul>
 */
final class TrackerOwnershipApi {

    private static final String NOT_CREATED = "Temporary ownership not created. ";

    private TrackerOwnershipApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        router.post("/api/tracker/ownership/override", (req, res) -> override(instance, req, res));
    }

    private static void override(Dhis2Instance instance, SandboxRequest req, SandboxResponse res) {
        int minor = instance.version().minor();
        String te = trackedEntity(req, minor);
        String reason = required(req, "reason");
        String program = required(req, "program");
        TrackerAccess access = new TrackerAccess(instance);
        Item item = instance.tracker().get(Kind.TRACKED_ENTITY, te).filter(i -> !i.deleted()).orElse(null);
        boolean programExists = instance.catalog().exists(TrackerRefs.PROGRAMS, program);
        if (minor <= 40) {
            // DefaultTrackerOwnershipManager.grantTemporaryOwnership 2.39/2.40: returns quietly unless it applies
            if (programExists && item != null && !access.superuser()
                    && new TrackerRefs(instance.catalog()).isTrackerProgram(program)
                    && "PROTECTED".equals(access.accessLevel(program))) {
                instance.trackerOwnership().grant(instance.username(), te, program, reason);
            }
        } else {
            validate(instance, access, item, program, programExists);
            instance.trackerOwnership().grant(instance.username(), te, program, reason);
        }
        res.json(200, WebMessages.message(200, "OK", "Temporary Ownership granted"));
    }

    /** validateGrantTemporaryOwnershipInputs (2.41.8.2, 2.42.0), in its order; data sharing is not emulated. */
    private static void validate(Dhis2Instance instance, TrackerAccess access, Item te, String program,
                                 boolean programExists) {
        if (!programExists) {
            throw forbidden("Program supplied does not exist.");
        }
        if (te == null) {
            throw forbidden("Tracked entity supplied does not exist.");
        }
        if (access.superuser()) {
            throw forbidden("Current user is a superuser.");
        }
        if (!new TrackerRefs(instance.catalog()).isTrackerProgram(program)) {
            throw forbidden("Program supplied is not a tracker program.");
        }
        String level = access.accessLevel(program);
        if (!"PROTECTED".equals(level)) {
            throw forbidden("Temporary ownership can only be granted to protected programs. " + program
                    + " access level is " + level + ".");
        }
        if (!access.inSearchScope(access.ownerOrRegistration(te, program))) {
            throw forbidden("The owner of the entity-program combination is not in the user's search scope.");
        }
        String programType = instance.catalog().get(TrackerRefs.PROGRAMS, program)
                .map(p -> p.path("trackedEntityType").path("id").asText(null)).orElse(null);
        String teType = te.text("trackedEntityType");
        if (programType != null && teType != null && !programType.equals(teType)) {
            throw forbidden("The tracked entity type of the program " + programType
                    + " differs from that of the tracked entity " + teType + ".");
        }
    }

    /**
     * The tracked entity parameter by version: 2.39/2.40 {@code trackedEntityInstance} (required); 2.41 either
     * (RequestParamsValidator.validateMandatoryDeprecatedUidParameter); 2.42 {@code trackedEntity}.
     */
    private static String trackedEntity(SandboxRequest req, int minor) {
        if (minor <= 40) {
            return required(req, "trackedEntityInstance");
        }
        if (minor > 41) {
            return requiredUid(req, "trackedEntity");
        }
        String old = req.param("trackedEntityInstance").filter(v -> !v.isBlank()).orElse(null);
        String current = req.param("trackedEntity").filter(v -> !v.isBlank()).orElse(null);
        if (old != null && current != null) {
            throw Dhis2Exception.badRequest("Only one parameter of 'trackedEntityInstance' and 'trackedEntity' must "
                    + "be specified. Prefer 'trackedEntity' as 'trackedEntityInstance' will be removed.");
        }
        if (old == null && current == null) {
            throw Dhis2Exception.badRequest("Required request parameter 'trackedEntity' is not present");
        }
        return current != null ? current : old;
    }

    private static String requiredUid(SandboxRequest req, String name) {
        return req.param(name).filter(v -> !v.isBlank()).orElseThrow(() -> Dhis2Exception.badRequest(
                "Required request parameter '" + name + "' for method parameter type UID is not present"));
    }

    private static String required(SandboxRequest req, String name) {
        return req.param(name).filter(v -> !v.isBlank()).orElseThrow(() -> Dhis2Exception.badRequest(
                "Required request parameter '" + name + "' for method parameter type String is not present"));
    }

    private static Dhis2Exception forbidden(String message) {
        return new Dhis2Exception(403, "Forbidden", NOT_CREATED + message, "E1006");
    }
}
