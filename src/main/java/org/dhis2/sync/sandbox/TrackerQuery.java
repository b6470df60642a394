package org.dhis2.sync.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * The filters and paging of one tracker export request, read from either the new ({@code updatedAfter},
 * {@code orgUnitMode}, {@code paging}) or the old ({@code lastUpdatedStartDate}, {@code ou}, {@code skipPaging})
 * parameter names.
 */
record TrackerQuery(Kind kind, Instant from, Instant to, boolean includeDeleted, String program, String programStage,
                    String trackedEntityType, String trackedEntity, List<String> orgUnits, String orgUnitMode,
                    Set<String> uids, boolean descending, int page, int pageSize, boolean paging,
                    boolean totalPages, Dhis2Version version) {

    /** Parameters of {@code /api/tracker/events} and {@code /api/tracker/trackedEntities}. */
    static TrackerQuery fromNewApi(Kind kind, SandboxRequest r, Dhis2Instance instance) {
        Instant from = date(r, "updatedAfter");
        Instant to = date(r, "updatedBefore");
        if (r.param("updatedWithin").isPresent()) {
            from = instance.clock().instant().minus(duration(r.param("updatedWithin").get(), "updatedWithin"));
        }
        List<String> orgUnits = new java.util.ArrayList<>(r.params("orgUnit"));
        orgUnits.addAll(r.params("orgUnits"));
        Dhis2Version v = instance.version();
        Set<String> uids = kind == Kind.EVENT ? eventUids(r) : trackedEntityUids(r, v);
        String mode = orgUnitMode(kind, r, v, orgUnits, uids);
        // skipPaging exists up to 2.41; paging=false from 2.41 on
        boolean paging = !(v.minor() <= 41 && r.flag("skipPaging", false))
                && !(v.atLeast(41) && !r.flag("paging", true));
        return new TrackerQuery(kind, from, to, r.flag("includeDeleted", false), r.param("program").orElse(null),
                r.param("programStage").orElse(null), r.param("trackedEntityType").orElse(null),
                kind == Kind.EVENT ? r.param("trackedEntity").orElse(null) : null, orgUnits, mode, uids,
                descending(r.param("order").orElse(null)), page(r), pageSize(r), paging, r.flag("totalPages", false),
                v);
    }

    private static Set<String> eventUids(SandboxRequest r) {
        Set<String> uids = new HashSet<>(r.params("event"));
        uids.addAll(r.params("events"));
        return uids;
    }

    /**
     * Tracked entity UIDs to read: {@code trackedEntity} (semicolon-separated) up to 2.40, {@code trackedEntities}
     * on 2.42, either on 2.41 (400 when both) (TrackerTrackedEntityCriteria 2.40, TrackedEntityRequestParams and
     * RequestParamsValidator.validateDeprecatedParameter 2.41, TrackedEntityRequestParams 2.42).
     */
    private static Set<String> trackedEntityUids(SandboxRequest r, Dhis2Version v) {
        List<String> old = r.params("trackedEntity");
        List<String> current = r.params("trackedEntities");
        if (!v.atLeast(41)) {
            return new HashSet<>(old);
        }
        if (v.minor() > 41) {
            return new HashSet<>(current);
        }
        if (!old.isEmpty() && !current.isEmpty()) {
            throw Dhis2Exception.badRequest("Only one parameter of 'trackedEntity' and 'trackedEntities' must be "
                    + "specified. Prefer 'trackedEntities' as 'trackedEntity' will be removed.");
        }
        return new HashSet<>(old.isEmpty() ? current : old);
    }

    /**
     * The org unit mode of a new-API export, read under the parameter name(s) of the version, with the version's
     * checks. 2.39/2.40 read {@code ouMode} only, and a tracked entity query without org unit, tracked entity UIDs
     * or a mode that needs none (ALL, ACCESSIBLE, CAPTURE) is a 409 "At least one organisation unit must be
     * specified" (DefaultTrackedEntityInstanceService.validate; test getTrackedEntitiesNeedsAtLeastOneOrgUnit).
     * 2.41 reads both names (400 when both are given), 2.42 {@code orgUnitMode} only; from 2.41 no mode means
     * ACCESSIBLE without org units and SELECTED with them, and a mode that needs org units without any, or one that
     * needs none with some, is a 400 (RequestParamsValidator.validateOrgUnitMode).
     */
    private static String orgUnitMode(Kind kind, SandboxRequest r, Dhis2Version v, List<String> orgUnits,
                                      Set<String> uids) {
        String ouMode = r.param("ouMode").map(String::toUpperCase).orElse(null);
        String orgUnitMode = r.param("orgUnitMode").map(String::toUpperCase).orElse(null);
        if (!v.atLeast(41)) {
            boolean needsNone = ouMode != null && Set.of("ALL", "ACCESSIBLE", "CAPTURE").contains(ouMode);
            if (kind == Kind.TRACKED_ENTITY && orgUnits.isEmpty() && uids.isEmpty() && !needsNone) {
                throw Dhis2Exception.conflict("At least one organisation unit must be specified", null);
            }
            return ouMode;
        }
        if (v.minor() == 41 && ouMode != null && orgUnitMode != null) {
            throw Dhis2Exception.badRequest("Only one parameter of 'ouMode' and 'orgUnitMode' must be specified. "
                    + "Prefer 'orgUnitMode' as 'ouMode' will be removed.");
        }
        String mode = v.minor() == 41 && orgUnitMode == null ? ouMode : orgUnitMode;
        if (mode == null) {
            return orgUnits.isEmpty() ? "ACCESSIBLE" : "SELECTED";
        }
        if (Set.of("ALL", "ACCESSIBLE", "CAPTURE").contains(mode) && !orgUnits.isEmpty()) {
            throw Dhis2Exception.badRequest("orgUnitMode " + mode + " cannot be used with orgUnits. "
                    + "Please remove the orgUnit parameter and try again.");
        }
        if (Set.of("SELECTED", "CHILDREN", "DESCENDANTS").contains(mode) && orgUnits.isEmpty()
                && (kind == Kind.EVENT || uids.isEmpty())) {
            throw Dhis2Exception.badRequest(kind == Kind.EVENT
                    ? "At least one org unit is required for orgUnitMode: " + mode
                            + ". Please add one org unit or use a different orgUnitMode."
                    : "At least one org unit or tracked entity is required for orgUnitMode: " + mode
                            + ". Please add one of the two or use a different orgUnitMode.");
        }
        return mode;
    }

    /** Parameters of the old {@code /api/events} and {@code /api/trackedEntityInstances}. */
    static TrackerQuery fromOldApi(Kind kind, SandboxRequest r, Dhis2Instance instance) {
        Instant from = date(r, "lastUpdatedStartDate");
        Instant to = date(r, "lastUpdatedEndDate");
        if (r.param("lastUpdatedDuration").isPresent()) {
            from = instance.clock().instant().minus(oldDuration(r.param("lastUpdatedDuration").get()));
        }
        List<String> orgUnits = new java.util.ArrayList<>(r.params("orgUnit"));
        orgUnits.addAll(r.params("ou"));
        Set<String> uids = new HashSet<>(r.params(kind == Kind.EVENT ? "event" : "trackedEntityInstance"));
        return new TrackerQuery(kind, from, to, r.flag("includeDeleted", false), r.param("program").orElse(null),
                r.param("programStage").orElse(null), r.param("trackedEntityType").orElse(null),
                kind == Kind.EVENT ? r.param("trackedEntityInstance").orElse(null) : null, orgUnits,
                r.param("ouMode").orElse(null), uids, descending(r.param("order").orElse(null)), page(r),
                pageSize(r), !r.flag("skipPaging", false), r.flag("totalPages", false), instance.version());
    }

    /**
     * The filter over stored items (the updatedAt window is applied by the store's index). ACCESSIBLE and CAPTURE
     * become DESCENDANTS of the user's search / capture org units (TrackedEntityQueryParams.handleOrganisationUnits).
     * A tracked entity is placed by the owner org unit for the program when a program is given (2.40: the
     * registering org unit for a superuser), else by its registering org unit or any of its owners
     * (HibernateTrackedEntityStore.getOwnerOrgUnit); 2.42 then drops what the user may not read by ownership
     * (DefaultTrackedEntityService.filterAccessibleTrackedEntities, skipped for ALL).
     */
    Predicate<Item> filter(TrackerStore store, TrackerRefs refs, TrackerAccess access) {
        String given = orgUnitMode != null ? orgUnitMode.toUpperCase() : orgUnits.isEmpty() ? "ACCESSIBLE" : "SELECTED";
        List<String> units = switch (given) {
            case "ACCESSIBLE" -> access.searchRoots();
            case "CAPTURE" -> access.captureRoots();
            default -> orgUnits;
        };
        String mode = Set.of("ACCESSIBLE", "CAPTURE").contains(given) ? "DESCENDANTS" : given;
        boolean byOwner = kind == Kind.TRACKED_ENTITY && program != null
                && !(version.minor() == 40 && access.superuser());
        boolean ownershipFilter = kind == Kind.TRACKED_ENTITY && version.atLeast(42) && !"ALL".equals(given);
        return item -> {
            if (item.deleted() && !includeDeleted) {
                return false;
            }
            if (!uids.isEmpty() && !uids.contains(item.uid())) {
                return false;
            }
            if (kind == Kind.EVENT) {
                return refs.inScope(item.text("orgUnit"), units, mode)
                        && (program == null || program.equals(item.text("program")))
                        && (programStage == null || programStage.equals(item.text("programStage")))
                        && (trackedEntity == null || trackedEntity.equals(item.text("trackedEntity")));
            }
            if (trackedEntityType != null && !trackedEntityType.equals(item.text("trackedEntityType"))) {
                return false;
            }
            if (program != null && store.children(Kind.ENROLLMENT, item.uid()).stream()
                    .noneMatch(e -> program.equals(e.text("program")) && (includeDeleted || !e.deleted()))) {
                return false;
            }
            boolean placed = byOwner
                    ? refs.inScope(access.owner(item, program).orElse(null), units, mode)
                    : refs.inScope(item.text("orgUnit"), units, mode)
                            || (version.atLeast(41) && ownersOf(store, access, item).stream()
                                    .anyMatch(ou -> refs.inScope(ou, units, mode)));
            if (!placed) {
                return false;
            }
            return !ownershipFilter || (program != null ? access.hasAccess(item, program) : access.canRead(item));
        };
    }

    private static List<String> ownersOf(TrackerStore store, TrackerAccess access, Item te) {
        return store.children(Kind.ENROLLMENT, te.uid()).stream().map(e -> e.text("program")).distinct()
                .map(p -> access.owner(te, p).orElse(null)).filter(java.util.Objects::nonNull).toList();
    }

    TrackerStore.Slice run(TrackerStore store, TrackerRefs refs, TrackerAccess access) {
        long offset = paging ? (long) (page - 1) * pageSize : 0;
        return store.query(kind, from, to, filter(store, refs, access), descending, offset, paging ? pageSize : -1,
                paging && totalPages);
    }

    /** Only updatedAt/lastUpdated ordering is emulated: ":desc" reverses, anything else is ascending. */
    private static boolean descending(String order) {
        return order != null && order.toLowerCase().contains(":desc");
    }

    private static int page(SandboxRequest r) {
        int page = r.intParam("page", 1);
        if (page < 1) {
            throw Dhis2Exception.badRequest("page must be greater than or equal to 1");
        }
        return page;
    }

    private static int pageSize(SandboxRequest r) {
        int size = r.intParam("pageSize", 50);
        if (size < 1) {
            throw Dhis2Exception.badRequest("pageSize must be greater than or equal to 1");
        }
        return size;
    }

    private static Instant date(SandboxRequest r, String name) {
        String value = r.param(name).orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Dhis2Dates.parse(value);
        } catch (IllegalArgumentException e) {
            throw Dhis2Exception.badRequest("Invalid date format '" + value + "' for parameter " + name);
        }
    }

    private static Duration duration(String value, String name) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw Dhis2Exception.badRequest("Invalid duration '" + value + "' for parameter " + name);
        }
    }

    /** The old API's durations look like {@code 5m}, {@code 2h}, {@code 1d} (DHIS2's DateUtils.getDuration). */
    private static Duration oldDuration(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)([smhd])$").matcher(value.trim());
        if (!m.matches()) {
            throw Dhis2Exception.badRequest("Duration is not valid: " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
