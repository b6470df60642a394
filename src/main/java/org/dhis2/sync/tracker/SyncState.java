package org.dhis2.sync.tracker;

/** The Android SDK's per-object states, as stored in sync_item. */
public enum SyncState {
    TO_POST, TO_UPDATE, TO_DELETE, SYNCED, ERROR, WARNING;

    /** Settled objects are not sent again until they change (or an operator asks). */
    public boolean settled() {
        return this == SYNCED || this == ERROR || this == WARNING;
    }

    /** The aggregated state of a parent and its children: ERROR over WARNING over unsettled over SYNCED. */
    public static SyncState worst(SyncState a, SyncState b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(SyncState s) {
        return switch (s) {
            case ERROR -> 4;
            case WARNING -> 3;
            case TO_POST, TO_UPDATE, TO_DELETE -> 2;
            case SYNCED -> 1;
        };
    }
}
