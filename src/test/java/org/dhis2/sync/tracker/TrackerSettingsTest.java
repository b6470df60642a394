package org.dhis2.sync.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.dhis2.sync.config.ConfigLoader;
import org.dhis2.sync.config.SyncSettings;
import org.junit.jupiter.api.Test;

/** The tracker keys of the configuration: parallelism 1..16, program lists of DHIS2 UIDs. */
class TrackerSettingsTest {

    private static SyncSettings settings(Map<String, String> overrides) {
        return SyncSettings.forValidation(ConfigLoader.load(null, Map.of(), overrides));
    }

    @Test
    void defaultsSendSeveralPagesAtOnceAndDiscoverPrograms() {
        SyncSettings s = settings(Map.of());
        assertThat(s.trackerParallelism()).isEqualTo(8); // chosen by benchmark B3 (bench/RESULTS.md)
        assertThat(s.eventsParallelism()).isEqualTo(4);
        assertThat(s.trackerPrograms()).isEmpty();
        assertThat(s.eventsPrograms()).isEmpty();
    }

    @Test
    void programListsAreTrimmedAndDeduplicated() {
        SyncSettings s = settings(Map.of("sync.tracker.programs", " IpHINAT79UW, ur1Edk5Oe2n ,IpHINAT79UW",
                "sync.events.programs", "eBAyeGv0exc"));
        assertThat(s.trackerPrograms()).containsExactly("IpHINAT79UW", "ur1Edk5Oe2n");
        assertThat(s.eventsPrograms()).containsExactly("eBAyeGv0exc");
    }

    @Test
    void badValuesNameTheirKeys() {
        assertThatThrownBy(() -> settings(Map.of("sync.tracker.parallelism", "17", "sync.events.parallelism", "0",
                "sync.tracker.programs", "IpHINAT79UW,not-a-uid")))
                .hasMessageContaining("sync.tracker.parallelism: '17' is outside the allowed range 1..16")
                .hasMessageContaining("sync.events.parallelism: '0' is outside the allowed range 1..16")
                .hasMessageContaining("sync.tracker.programs: 'not-a-uid' is not a DHIS2 UID");
    }
}
