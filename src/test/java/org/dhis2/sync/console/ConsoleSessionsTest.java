package org.dhis2.sync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.dhis2.sync.TestClock;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingDatabase;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console sessions in a real PostgreSQL: random ids, found by the Cookie header, forgotten after the idle time or at
 * logout, known to every node on the database, CSRF; only digests stored.
 */
class ConsoleSessionsTest {

    @TempDir
    static Path temp;
    static BookkeepingDatabase database;

    final TestClock clock = new TestClock(Instant.parse("2026-12-02T08:00:00Z"));
    ConsoleSessions sessions;

    @BeforeAll
    static void open() {
        database = BookkeepingDatabase.open(SyncSettings.forValidation(TestEngines.properties(temp.resolve("pg"),
                temp.resolve("routes"), Map.of())));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void empty() throws Exception {
        sql("delete from console_session");
        sessions = new ConsoleSessions(database.dataSource(), Duration.ofMinutes(30), clock);
    }

    static String cookie(ConsoleSessions.NewSession s) {
        return "other=1; " + ConsoleSessions.COOKIE + "=" + s.id() + "; x=y";
    }

    @Test
    void aSessionIsFoundByItsCookieUntilItIdlesOut() {
        ConsoleSessions.NewSession s = sessions.create();
        assertThat(s.id()).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
        assertThat(sessions.create().id()).isNotEqualTo(s.id());
        assertThat(sessions.find(cookie(s))).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(cookie(s))).as("each request restarts the idle time").isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(cookie(s))).isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.find(cookie(s))).as("idle for 31 minutes").isEmpty();
    }

    @Test
    void anotherNodeOnTheSameDatabaseKnowsTheSessionAndItsLogout() {
        ConsoleSessions otherNode = new ConsoleSessions(database.dataSource(), Duration.ofMinutes(30), clock);
        ConsoleSessions.NewSession s = sessions.create();
        ConsoleSessions.Session there = otherNode.find(cookie(s)).orElseThrow();
        assertThat(ConsoleSessions.csrfMatches(there, s.csrf())).isTrue();
        otherNode.end(there);
        assertThat(sessions.find(cookie(s))).isEmpty();
    }

    @Test
    void onlyDigestsAreStored() throws Exception {
        ConsoleSessions.NewSession s = sessions.create();
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("select encode(id_digest, 'escape') || encode(csrf_digest, 'hex')"
                     + " || encode(id_digest, 'hex') from console_session")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).doesNotContain(s.id()).doesNotContain(s.csrf());
        }
    }

    @Test
    void logoutAndUnknownOrMissingCookiesFindNothing() {
        ConsoleSessions.NewSession s = sessions.create();
        sessions.end(sessions.find(cookie(s)).orElseThrow());
        assertThat(sessions.find(cookie(s))).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find(ConsoleSessions.COOKIE + "=nope")).isEmpty();
        assertThat(sessions.find(ConsoleSessions.COOKIE + "=")).isEmpty();
        assertThat(sessions.find(ConsoleSessions.CSRF_COOKIE + "=" + s.csrf())).isEmpty();
    }

    @Test
    void csrfTokenMustBeTheSessionsOwn() {
        ConsoleSessions.NewSession a = sessions.create();
        ConsoleSessions.NewSession b = sessions.create();
        ConsoleSessions.Session found = sessions.find(cookie(a)).orElseThrow();
        assertThat(ConsoleSessions.csrfMatches(found, a.csrf())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(found, b.csrf())).isFalse();
        assertThat(ConsoleSessions.csrfMatches(found, null)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(found, "")).isFalse();
        assertThat(ConsoleSessions.changesState("GET")).isFalse();
        assertThat(ConsoleSessions.changesState("HEAD")).isFalse();
        assertThat(ConsoleSessions.changesState("POST")).isTrue();
        assertThat(ConsoleSessions.changesState("DELETE")).isTrue();
        assertThat(ConsoleSessions.changesState("PUT")).isTrue();
    }

    @Test
    void tooManySessionsDropTheLongestIdle() {
        ConsoleSessions.NewSession first = sessions.create();
        for (int i = 1; i < ConsoleSessions.MAX_SESSIONS; i++) {
            clock.advance(Duration.ofMillis(1));
            sessions.create();
        }
        clock.advance(Duration.ofMillis(1));
        ConsoleSessions.NewSession last = sessions.create();
        assertThat(sessions.find(cookie(first))).isEmpty();
        assertThat(sessions.find(cookie(last))).isPresent();
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
