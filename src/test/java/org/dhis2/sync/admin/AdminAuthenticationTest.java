package org.dhis2.sync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dhis2.sync.config.AdminCredentials;
import org.junit.jupiter.api.Test;

/** Parsing of the Authorization header, and the paging parameters. */
class AdminAuthenticationTest {

    private final AdminAuthentication both = AdminAuthentication.of(
            new AdminCredentials("ops", "pa:ss word", "0123456789abcdef-token"), null, null);
    private final AdminAuthentication tokenOnly = AdminAuthentication.of(
            new AdminCredentials("", "", "0123456789abcdef-token"), null, null);

    @Test
    void basicAcceptsTheExactUserAndPasswordOnly() {
        assertThat(both.accepts(AdminHttp.basic("ops", "pa:ss word"))).isTrue();
        assertThat(both.accepts("basic " + AdminHttp.basic("ops", "pa:ss word").substring(6))).isTrue();
        assertThat(both.accepts(AdminHttp.basic("ops", "pa:ss wor"))).isFalse();
        assertThat(both.accepts(AdminHttp.basic("Ops", "pa:ss word"))).isFalse();
        assertThat(both.accepts("Basic %%%")).isFalse();
        assertThat(tokenOnly.accepts(AdminHttp.basic("ops", "pa:ss word"))).as("no user configured").isFalse();
    }

    @Test
    void tokenWorksAsBearerOrApiToken() {
        for (AdminAuthentication a : new AdminAuthentication[] {both, tokenOnly}) {
            assertThat(a.accepts("Bearer 0123456789abcdef-token")).isTrue();
            assertThat(a.accepts("ApiToken 0123456789abcdef-token")).isTrue();
            assertThat(a.accepts("Bearer 0123456789abcdef-toke")).isFalse();
            assertThat(a.accepts("Token 0123456789abcdef-token")).isFalse();
            assertThat(a.accepts("0123456789abcdef-token")).isFalse();
            assertThat(a.accepts("")).isFalse();
            assertThat(a.accepts(null)).isFalse();
        }
    }

    @Test
    void credentialsNeverShowInToString() {
        assertThat(new AdminCredentials("ops", "pa:ss word", "0123456789abcdef-token").toString())
                .contains("ops").doesNotContain("pa:ss").doesNotContain("0123456789abcdef");
    }

    @Test
    void pagingDefaultsLimitsAndPager() {
        assertThat(Paging.of(null, null)).isEqualTo(new Paging(1, 50));
        assertThat(Paging.of("3", "20").offset()).isEqualTo(40);
        assertThat(new Paging(1, 20).pager(41)).containsEntry("pageCount", 3L).containsEntry("total", 41L);
        assertThat(new Paging(1, 20).pager(0)).containsEntry("pageCount", 0L);
        assertThat(Paging.of("1", "1000").pageSize()).isEqualTo(1000);
        assertThatThrownBy(() -> Paging.of("1", "1001")).hasMessageContaining("'pageSize'");
        assertThatThrownBy(() -> Paging.of("-1", "10")).hasMessageContaining("'page'");
        assertThatThrownBy(() -> Paging.of("1.5", "10")).hasMessageContaining("'page'");
        assertThat(((AdminApiException) catchThrowable(() -> Paging.of("x", null))).status()).isEqualTo(400);
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
