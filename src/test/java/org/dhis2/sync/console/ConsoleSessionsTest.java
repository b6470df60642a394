package org.dhis2.sync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.dhis2.sync.TestClock;
import org.junit.jupiter.api.Test;

/** Console sessions: random ids, found by the Cookie header, forgotten after the idle time or at logout; CSRF. */
class ConsoleSessionsTest {

    final TestClock clock = new TestClock(Instant.ofEpochMilli(1_000_000));
    final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);

    @Test
    void aSessionIsFoundByItsCookieUntilItIdlesOut() {
        ConsoleSessions.Session s = sessions.create();
        assertThat(s.id()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(s.csrf());
        assertThat(sessions.create().id()).isNotEqualTo(s.id());
        String header = "other=1; " + ConsoleSessions.COOKIE + "=" + s.id() + "; x=y";
        assertThat(sessions.find(header)).contains(s);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(header)).as("each request restarts the idle time").contains(s);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(header)).contains(s);
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.find(header)).as("idle for 31 minutes").isEmpty();
    }

    @Test
    void logoutAndUnknownOrMissingCookiesFindNothing() {
        ConsoleSessions.Session s = sessions.create();
        sessions.end(s);
        assertThat(sessions.find(ConsoleSessions.COOKIE + "=" + s.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find(ConsoleSessions.COOKIE + "=nope")).isEmpty();
        assertThat(sessions.find(ConsoleSessions.CSRF_COOKIE + "=" + s.csrf())).isEmpty();
    }

    @Test
    void csrfTokenMustBeTheSessionsOwn() {
        ConsoleSessions.Session a = sessions.create();
        ConsoleSessions.Session b = sessions.create();
        assertThat(ConsoleSessions.csrfMatches(a, a.csrf())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(a, b.csrf())).isFalse();
        assertThat(ConsoleSessions.csrfMatches(a, null)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(a, "")).isFalse();
        assertThat(ConsoleSessions.changesState("GET")).isFalse();
        assertThat(ConsoleSessions.changesState("HEAD")).isFalse();
        assertThat(ConsoleSessions.changesState("POST")).isTrue();
        assertThat(ConsoleSessions.changesState("DELETE")).isTrue();
        assertThat(ConsoleSessions.changesState("PUT")).isTrue();
    }

    @Test
    void tooManySessionsDropTheLongestIdle() {
        ConsoleSessions.Session first = sessions.create();
        for (int i = 1; i < ConsoleSessions.MAX_SESSIONS; i++) {
            clock.advance(Duration.ofMillis(1));
            sessions.create();
        }
        clock.advance(Duration.ofMillis(1));
        ConsoleSessions.Session last = sessions.create();
        assertThat(sessions.find(ConsoleSessions.COOKIE + "=" + first.id())).isEmpty();
        assertThat(sessions.find(ConsoleSessions.COOKIE + "=" + last.id())).contains(last);
    }
}
