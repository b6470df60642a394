package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.dhis2.sync.tracker.TrackerBookkeeping.ItemState;
import org.junit.jupiter.api.Test;

/** Which objects of an export page are sent again: the rule that keeps a run from resending settled objects. */
class TrackerSelectionTest {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void sentWhenNeverSeenUnsettledOrAskedForAgain() {
        assertThat(TrackerSelection.needsSending(null, T)).isTrue();
        assertThat(TrackerSelection.needsSending(new ItemState("a", T, null, SyncState.TO_UPDATE, false), T))
                .isTrue();
        assertThat(TrackerSelection.needsSending(new ItemState("a", T, T, SyncState.SYNCED, true), T)).isTrue();
    }

    @Test
    void aSettledObjectIsSentOnlyWhenChangedSinceItWasSettled() {
        // synced: compared with when central confirmed it
        assertThat(TrackerSelection.needsSending(new ItemState("a", null, T, SyncState.SYNCED, false), T)).isFalse();
        assertThat(TrackerSelection.needsSending(new ItemState("a", null, T, SyncState.SYNCED, false),
                T.plusMillis(1))).isTrue();
        // rejected: compared with the version that was rejected (it was never synchronized)
        assertThat(TrackerSelection.needsSending(new ItemState("a", T, null, SyncState.ERROR, false), T)).isFalse();
        assertThat(TrackerSelection.needsSending(new ItemState("a", T, null, SyncState.ERROR, false),
                T.plusSeconds(1))).isTrue();
        // no time to compare: sent, rather than lost
        assertThat(TrackerSelection.needsSending(new ItemState("a", T, null, SyncState.WARNING, false), null))
                .isTrue();
    }
}
