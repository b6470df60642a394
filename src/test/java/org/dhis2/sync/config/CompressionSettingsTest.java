package org.dhis2.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** central.compression (default on) and sync.dataValues.format (json or csv); bad values name their key. */
class CompressionSettingsTest {

    private static SyncSettings settings(Map<String, String> overrides) {
        return SyncSettings.forValidation(ConfigLoader.load(null, Map.of(), overrides));
    }

    @Test
    void shippedDefaultsCompressAndSendJson() {
        SyncSettings s = settings(Map.of());
        assertThat(s.centralCompression()).isTrue();
        assertThat(s.dataValuesCsv()).isFalse();
    }

    @Test
    void csvAndNoCompressionCanBeChosen() {
        SyncSettings s = settings(Map.of("sync.dataValues.format", " CSV ", "central.compression", "false"));
        assertThat(s.centralCompression()).isFalse();
        assertThat(s.dataValuesCsv()).isTrue();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> settings(Map.of("sync.dataValues.format", "xml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sync.dataValues.format");
        assertThatThrownBy(() -> settings(Map.of("central.compression", "gzip")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("central.compression");
    }
}
