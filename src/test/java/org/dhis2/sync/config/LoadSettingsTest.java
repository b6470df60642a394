package org.dhis2.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Load on central and run windows: shipped defaults, windows over midnight, errors that name the key. */
class LoadSettingsTest {

    private static SyncSettings settings(Map<String, String> overrides) {
        return SyncSettings.forValidation(ConfigLoader.load(null, Map.of(), overrides));
    }

    @Test
    void shippedDefaults() {
        SyncSettings s = settings(Map.of());
        assertThat(s.load()).isEqualTo(new LoadSettings(50, 5, 3, 8, 0));
        assertThat(s.runWindows()).isEmpty();
    }

    @Test
    void aWindowOverMidnightInItsZone() {
        SyncSettings s = settings(Map.of("sync.jobs.DATA_SYNC.window", "22:00-06:00",
                "sync.jobs.DATA_SYNC.windowZone", "Africa/Kampala"));
        RunWindow w = s.runWindows().get("DATA_SYNC");
        assertThat(w).isEqualTo(new RunWindow(LocalTime.of(22, 0), LocalTime.of(6, 0), ZoneId.of("Africa/Kampala")));
        // Kampala is UTC+3: 20:00 UTC is 23:00 there, 02:59 UTC is 05:59, 03:00 UTC is 06:00 (the end is outside)
        assertThat(w.contains(Instant.parse("2026-01-10T20:00:00Z"))).isTrue();
        assertThat(w.contains(Instant.parse("2026-01-10T02:59:00Z"))).isTrue();
        assertThat(w.contains(Instant.parse("2026-01-10T03:00:00Z"))).isFalse();
        assertThat(w.contains(Instant.parse("2026-01-10T12:00:00Z"))).isFalse();
        assertThat(w.nextEnd(Instant.parse("2026-01-10T20:00:00Z"))).isEqualTo(Instant.parse("2026-01-11T03:00:00Z"));
        assertThat(w.nextStart(Instant.parse("2026-01-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-10T19:00:00Z"));
    }

    @Test
    void badValuesNameTheirKey() {
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("sync.jobs.DATA_SYNC.window", "22:00"), "sync.jobs.DATA_SYNC.window",
                Map.of("sync.jobs.DATA_SYNC.window", "25:00-06:00"), "sync.jobs.DATA_SYNC.window",
                Map.of("sync.jobs.DATA_SYNC.window", "06:00-06:00"), "sync.jobs.DATA_SYNC.window",
                Map.of("sync.jobs.DATA_SYNC.window", "22:00-06:00", "sync.jobs.DATA_SYNC.windowZone", "Mars/Base"),
                "sync.jobs.DATA_SYNC.windowZone",
                Map.of("central.maxConcurrentRequests", "0"), "central.maxConcurrentRequests",
                Map.of("central.maxBytesPerSecond", "-1"), "central.maxBytesPerSecond",
                Map.of("sync.adaptive.minPageSize", "x"), "sync.adaptive.minPageSize",
                Map.of("sync.retry.backOffMultiplier", "0.5"), "sync.retry.backOffMultiplier",
                Map.of("sync.retry.exponentialBackOff", "yes"), "sync.retry.exponentialBackOff");
        bad.forEach((props, key) -> assertThatThrownBy(() -> settings(props)).as(props.toString())
                .isInstanceOf(ConfigException.class).hasMessageContaining(key));
    }
}
