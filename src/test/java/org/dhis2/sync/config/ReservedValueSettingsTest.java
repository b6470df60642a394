package org.dhis2.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sync.reservedValues.*: the Android SDK's defaults, the clients format, errors that name the key. */
class ReservedValueSettingsTest {

    private static ReservedValueSettings settings(Map<String, String> overrides) {
        return SyncSettings.forValidation(ConfigLoader.load(null, Map.of(), overrides)).reservedValues();
    }

    @Test
    void shippedDefaultsAreTheAndroidSdksAndAllAttributes() {
        ReservedValueSettings s = settings(Map.of());
        assertThat(s.threshold()).isEqualTo(50);
        assertThat(s.limit()).isEqualTo(100);
        assertThat(s.attributes()).isEmpty();
        assertThat(s.orgUnits()).isEmpty();
        assertThat(s.clients()).isEmpty();
    }

    @Test
    void clientsAreUserPasswordPairsAndThePasswordMayHoldColons() {
        ReservedValueSettings s = settings(Map.of("sync.reservedValues.clients", " site-a:s3:cret , site-b:x ",
                "sync.reservedValues.orgUnits", "OSLO, BERGEN", "sync.reservedValues.attributes", "w75KJ2mc4zz"));
        assertThat(s.clients()).containsExactlyInAnyOrderEntriesOf(Map.of("site-a", "s3:cret", "site-b", "x"));
        assertThat(s.orgUnits()).containsExactly("OSLO", "BERGEN");
        assertThat(s.attributes()).containsExactly("w75KJ2mc4zz");
        assertThat(s.toString()).doesNotContain("s3:cret");
    }

    @Test
    void badValuesNameTheKeyAndNeverThePassword() {
        for (Map<String, String> bad : List.of(Map.of("sync.reservedValues.clients", "site-a-without-password-9"),
                Map.of("sync.reservedValues.clients", ":nouser-password-9"),
                Map.of("sync.reservedValues.limit", "1001"),
                Map.of("sync.reservedValues.threshold", "60", "sync.reservedValues.limit", "40"))) {
            String key = bad.containsKey("sync.reservedValues.limit") ? "sync.reservedValues.limit"
                    : "sync.reservedValues.clients";
            assertThatThrownBy(() -> settings(bad)).as(bad.toString()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key).hasMessageNotContaining("password-9");
        }
    }
}
