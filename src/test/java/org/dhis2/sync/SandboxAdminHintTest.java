package org.dhis2.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.dhis2.sync.config.AdminCredentials;
import org.junit.jupiter.api.Test;

/** The sandbox tells how to call the admin API without showing a configured secret. */
class SandboxAdminHintTest {

    @Test
    void namesTheWayToAuthenticateNeverTheSecret() {
        assertThat(SandboxCommand.howToAuthenticate(new AdminCredentials("", "", "")))
                .contains("generated token shown above").contains("Bearer");
        String both = SandboxCommand.howToAuthenticate(new AdminCredentials("ops", "s3cret-pw", "tok-0123456789abcdef"));
        assertThat(both).contains("user ops").contains("sync.admin.token").doesNotContain("s3cret-pw")
                .doesNotContain("tok-0123456789abcdef");
        assertThat(SandboxCommand.howToAuthenticate(new AdminCredentials("", "", "tok-0123456789abcdef")))
                .isEqualTo("Authorization: Bearer <sync.admin.token>");
    }
}
