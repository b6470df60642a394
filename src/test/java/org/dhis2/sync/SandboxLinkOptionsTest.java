package org.dhis2.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.dhis2.sync.sandbox.Link;
import org.junit.jupiter.api.Test;

/** {@code sandbox --link=... --link-body-limit=... --link-timeout=...}: the central link the options describe. */
class SandboxLinkOptionsTest {

    @Test
    void optionsBuildTheCentralLink() {
        Link link = SandboxCommand.centralLink(Map.of("link", "3g", "link-body-limit", "10m", "link-timeout", "60s",
                "link-gzip", "true"));
        assertThat(link.downBytesPerSecond()).isEqualTo(Link.THREE_G.downBytesPerSecond());
        assertThat(link.bodyLimit()).isEqualTo(10L * 1024 * 1024);
        assertThat(link.proxyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(link.proxyGzip()).isTrue();
        assertThat(SandboxCommand.centralLink(Map.of())).isEqualTo(Link.LAN);
        assertThatThrownBy(() -> SandboxCommand.centralLink(Map.of("link-body-limit", "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a size");
    }
}
