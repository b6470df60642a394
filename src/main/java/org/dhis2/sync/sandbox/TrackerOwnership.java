package org.dhis2.sync.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Program ownership of tracked entities on one instance: explicit owners (a transfer, or a test that moves one)
 * and the temporary ownership overrides ("break the glass") granted through
 * {@code POST /api/tracker/ownership/override}. Without an explicit owner, the owner of a (tracked entity, program)
 * pair is the org unit of its first enrollment in the program, as DHIS2 assigns it when the enrollment is created
 * (see {@link TrackerAccess#owner}). Rows DL-n of CONTRACT.md.
 */
public final class TrackerOwnership {

    /**
     * How long an override lasts: DHIS2's DefaultTrackerOwnershipManager.TEMPORARY_OWNERSHIP_VALIDITY_IN_HOURS
     * (3 on 2.39–2.42), measured on the instance's clock.
     */
    public static final Duration OVERRIDE_VALIDITY = Duration.ofHours(3);

    /** One granted temporary ownership: who, for which tracked entity and program, why, and until when. */
    public record Override(String username, String trackedEntity, String program, String reason,
                           Instant grantedAt, Instant validUntil) {
    }

    private final SandboxClock clock;
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final List<Override> overrides = new CopyOnWriteArrayList<>();

    TrackerOwnership(SandboxClock clock) {
        this.clock = clock;
    }

    /** Makes {@code orgUnit} the owner of the tracked entity for the program (an ownership transfer). */
    public void setOwner(String trackedEntity, String program, String orgUnit) {
        owners.put(key(trackedEntity, program), orgUnit);
    }

    /** The explicitly set owner, if any (otherwise the first enrollment's org unit owns). */
    public Optional<String> explicitOwner(String trackedEntity, String program) {
        return Optional.ofNullable(owners.get(key(trackedEntity, program)));
    }

    /** Every override granted on this instance, oldest first (expired ones included). */
    public List<Override> overrides() {
        return List.copyOf(overrides);
    }

    /** Records an override valid for {@link #OVERRIDE_VALIDITY} from now. */
    Override grant(String username, String trackedEntity, String program, String reason) {
        Instant now = clock.instant();
        Override o = new Override(username, trackedEntity, program, reason, now, now.plus(OVERRIDE_VALIDITY));
        overrides.add(o);
        return o;
    }

    /** Whether the user holds an override for the pair that has not expired yet. */
    boolean hasTemporaryAccess(String username, String trackedEntity, String program) {
        Instant now = clock.instant();
        return overrides.stream().anyMatch(o -> o.username().equals(username)
                && o.trackedEntity().equals(trackedEntity) && o.program().equals(program)
                && now.isBefore(o.validUntil()));
    }

    /** Forgets owners and overrides (tests). */
    public void clear() {
        owners.clear();
        overrides.clear();
    }

    private static String key(String trackedEntity, String program) {
        return trackedEntity + "/" + program;
    }
}
