package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.dhis2.sync.tracker.SyncState;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.junit.jupiter.api.Test;

class PendingWorkTest {

    private static final Instant SYNCED_AT = Instant.parse("2026-11-01T10:00:00Z");
    private final PendingWork pending = new PendingWork(Instant.parse("2026-01-01T00:00:00Z"));

    private static ItemState state(SyncState s, boolean resend) {
        return new ItemState("u", SYNCED_AT, s == SyncState.SYNCED ? SYNCED_AT : null, s, resend);
    }

    @Test
    void unsentChangesConflictsAndResendRequestsArePending() {
        for (SyncState s : new SyncState[] {SyncState.TO_POST, SyncState.TO_UPDATE, SyncState.TO_DELETE}) {
            assertThat(pending.reason(state(s, false), Optional.of(SYNCED_AT))).contains("not yet on central");
        }
        assertThat(pending.reason(state(SyncState.ERROR, false), Optional.of(SYNCED_AT))).contains("ERROR");
        assertThat(pending.reason(state(SyncState.WARNING, false), Optional.of(SYNCED_AT))).contains("WARNING");
        assertThat(pending.reason(state(SyncState.SYNCED, true), Optional.of(SYNCED_AT))).contains("operator");
    }

    @Test
    void aSyncedObjectIsPendingOnlyWhenChangedLocallySinceItsSync() {
        assertThat(pending.reason(state(SyncState.SYNCED, false), Optional.of(SYNCED_AT))).isNull();
        assertThat(pending.reason(state(SyncState.SYNCED, false), Optional.of(SYNCED_AT.plusMillis(1))))
                .contains("changed on the local instance");
        assertThat(pending.reason(state(SyncState.SYNCED, false), Optional.empty())).isNull();
    }

    @Test
    void aLocalObjectThePushNeverSentIsPendingUnlessOlderThanSkipChangedBefore() {
        assertThat(pending.reason(null, Optional.of(SYNCED_AT))).contains("not yet sent to central");
        assertThat(pending.reason(null, Optional.of(Instant.parse("2025-06-01T00:00:00Z")))).isNull();
        assertThat(pending.reason(null, Optional.empty())).as("not on local: nothing to overwrite").isNull();
        assertThat(new PendingWork(null).reason(null, Optional.of(Instant.EPOCH))).isNotNull();
    }
}
