package org.dhis2.sync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the ledger keeps of a request URL: no user info, no parameter that could hold a secret. */
class SafeUriTest {

    final SafeUri safe = new SafeUri(List.of("https://dhis2.example.org/dhis", "http://10.0.0.5:8080"));

    @Test
    void userInfoAndSecretParametersAreDroppedTheRestOfTheQueryIsKept() {
        String[] where = safe.split("https://sync:S3cret@dhis2.example.org/dhis/api/dataValueSets?dataSet=abc"
                + "&password=S3cret&api_key=K3y&access_token=T0k&lastUpdated=2024-01-01&Authorization=Basic%20x"
                + "&JSESSIONID=s1&includeDeleted=true");
        assertThat(where[0]).isEqualTo("https://dhis2.example.org/dhis");
        assertThat(where[1]).isEqualTo("/api/dataValueSets?dataSet=abc&lastUpdated=2024-01-01&includeDeleted=true");
        assertThat(String.join(" ", where)).doesNotContain("S3cret").doesNotContain("K3y").doesNotContain("T0k")
                .doesNotContain("sync").doesNotContain("Basic").doesNotContain("s1");
    }

    @Test
    void theLongestConfiguredBaseUrlNamesTheInstanceOtherwiseTheOrigin() {
        assertThat(safe.split("http://10.0.0.5:8080/api/system/ping")).containsExactly("http://10.0.0.5:8080",
                "/api/system/ping");
        assertThat(safe.split("http://u:p@other.example.org:81/api/me?fields=id&token=x"))
                .containsExactly("http://other.example.org:81", "/api/me?fields=id");
        assertThat(safe.split("https://dhis2.example.org/dhis")).containsExactly("https://dhis2.example.org/dhis",
                "/");
    }
}
