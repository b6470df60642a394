package org.dhis2.sync.download;

import java.time.Instant;
import java.util.Optional;
import org.dhis2.sync.tracker.SyncState;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;

/**
 * Whether a local object holds work that a download must not overwrite: changes not yet on central (TO_POST,
 * TO_UPDATE, TO_DELETE in the push bookkeeping, an operator's resend request, or a local updatedAt after its last
 * sync), a conflict central reported (ERROR, WARNING), or an object the push never sent. An object older than
 * skipChangedBefore that the push never saw is not pending: the push will never send it.
 */
final class PendingWork {

    private final Instant skipChangedBefore;

    PendingWork(Instant skipChangedBefore) {
        this.skipChangedBefore = skipChangedBefore;
    }

    /** Why the object must be left alone, or null when a download may overwrite it. */
    String reason(ItemState s, Optional<Instant> localUpdatedAt) {
        if (s != null) {
            if (!s.state().settled()) {
                return "local changes not yet on central (" + s.state() + ")";
            }
            if (s.state() == SyncState.ERROR || s.state() == SyncState.WARNING) {
                return "central reported a " + (s.state() == SyncState.ERROR ? "conflict" : "warning")
                        + " for the local version (" + s.state() + ")";
            }
            if (s.resendRequested()) {
                return "an operator asked to send it again";
            }
        }
        if (localUpdatedAt.isEmpty()) {
            return null; // not on the local instance (any more): nothing to overwrite
        }
        Instant local = localUpdatedAt.get();
        if (s == null || s.lastSynchronized() == null) {
            boolean tooOldToPush = skipChangedBefore != null && local.isBefore(skipChangedBefore);
            return tooOldToPush ? null : "made on the local instance and not yet sent to central";
        }
        return local.isAfter(s.lastSynchronized()) ? "changed on the local instance since its last sync" : null;
    }
}
