package org.dhis2.sync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Retry-After values as RFC 9110 allows them, and the wait the engine grants them. */
class RetryAfterTest {

    private final RetryAfter retryAfter = new RetryAfter(Duration.ofSeconds(2), Duration.ofSeconds(60),
            Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC));

    @Test
    void readsDelaySecondsAndHttpDates() {
        assertThat(retryAfter.parse("5")).contains(Duration.ofSeconds(5));
        assertThat(retryAfter.parse(" 0 ")).contains(Duration.ZERO);
        assertThat(retryAfter.parse("Wed, 21 Oct 2026 07:28:30 GMT")).contains(Duration.ofSeconds(30));
        assertThat(retryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT")).as("past date: now").contains(Duration.ZERO);
        assertThat(retryAfter.parse("soon")).isEmpty();
        assertThat(retryAfter.parse("-3")).isEmpty();
    }

    @Test
    void waitsAtLeastTheConfiguredDelayAndAtMostTheCap() {
        assertThat(retryAfter.delay(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(retryAfter.delay(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(retryAfter.delay(Duration.ofHours(2))).isEqualTo(Duration.ofSeconds(60));
    }
}
