package org.dhis2.sync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.dhis2.sync.TestClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T08:00:00Z"));

    @Test
    void anAddressIsRefusedAfterTooManyWrongLoginsUntilItsWindowPassed() {
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);
        throttle.failed("10.0.0.7");
        clock.advance(Duration.ofSeconds(60));
        throttle.failed("10.0.0.7");
        assertThat(throttle.refusal("10.0.0.7")).isEmpty();
        throttle.failed("10.0.0.7");
        // refused until 5 minutes after the first failure; another address is not
        assertThat(throttle.refusal("10.0.0.7")).hasValue(Duration.ofMinutes(4));
        assertThat(throttle.refusal("10.0.0.8")).isEmpty();
        clock.advance(Duration.ofMinutes(4).minusSeconds(1));
        assertThat(throttle.refusal("10.0.0.7")).hasValue(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.refusal("10.0.0.7")).isEmpty();
        // a new window starts with the next failure
        throttle.failed("10.0.0.7");
        assertThat(throttle.refusal("10.0.0.7")).isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowDoNotAddUpAndALoginForgetsThem() {
        LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(5), clock);
        throttle.failed("10.0.0.7");
        clock.advance(Duration.ofMinutes(6));
        throttle.failed("10.0.0.7");
        assertThat(throttle.refusal("10.0.0.7")).isEmpty();
        throttle.succeeded("10.0.0.7");
        throttle.failed("10.0.0.7");
        assertThat(throttle.refusal("10.0.0.7")).isEmpty();
        throttle.failed("10.0.0.7");
        assertThat(throttle.refusal("10.0.0.7")).isPresent();
        // without an address the failures count together
        throttle.failed(null);
        throttle.failed("");
        assertThat(throttle.refusal(null)).isPresent();
    }
}
