package org.dhis2.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairConfigsTest {

    @TempDir
    Path temp;

    private static Map<String, String> pairB() {
        Map<String, String> p = new HashMap<>();
        p.put("pair.site-b.local.url", "http://b.local:8080");
        p.put("pair.site-b.local.username", "b");
        p.put("pair.site-b.local.password", "b-secret");
        p.put("pair.site-b.central.url", "http://127.0.0.1:8082");
        p.put("pair.site-b.central.username", "admin");
        p.put("pair.site-b.central.password", "district");
        return p;
    }

    private static Map<String, SyncSettings> pairs(Map<String, String> overrides) {
        Properties props = ConfigLoader.load(null, Map.of(), overrides);
        return PairConfigs.forRun(SyncSettings.forRun(props));
    }

    @Test
    void theSinglePairKeysAreThePairDefaultAndPairKeysDeclareMore() {
        Map<String, String> p = pairB();
        p.put("pair.site-b.sync.dataValues.pageSize", "500");
        Map<String, SyncSettings> pairs = pairs(p);
        assertThat(pairs.keySet()).containsExactly("default", "site-b");
        SyncSettings b = pairs.get("site-b");
        assertThat(b.local().url()).isEqualTo("http://b.local:8080");
        assertThat(b.local().username()).isEqualTo("b");
        assertThat(b.dataValuesPageSize()).isEqualTo(500);
        assertThat(pairs.get("default").dataValuesPageSize()).isEqualTo(10000);
        // everything else is the engine's
        assertThat(b.eventsPageSize()).isEqualTo(pairs.get("default").eventsPageSize());
    }

    @Test
    void aPairMustGiveItsOwnInstancesAndItsProblemsNameItsKeys() {
        Map<String, String> p = new HashMap<>();
        p.put("pair.x.local.url", "http://x:8080");
        p.put("pair.x.sync.events.pageSize", "7000");
        assertThatThrownBy(() -> pairs(p)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anyMatch(m -> m.startsWith("pair.x.central.url:"))
                        .anyMatch(m -> m.startsWith("pair.x.sync.events.pageSize:")));
    }

    @Test
    void engineWideKeysAndBadNamesAreRefusedWithTheirKey() {
        Map<String, String> p = pairB();
        p.put("pair.site-b.sync.db.url", "jdbc:postgresql://x/y");
        p.put("pair.Bad_Name.local.url", "http://x");
        assertThatThrownBy(() -> pairs(p)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anyMatch(m -> m.startsWith("pair.site-b.sync.db.url: sync.db.url is engine-wide"))
                        .anyMatch(m -> m.startsWith("pair.Bad_Name.local.url: 'Bad_Name' is not a pair name")));
    }

    @Test
    void oneInstanceHasOneSetOfCredentials() {
        Map<String, String> p = pairB();
        p.put("pair.site-b.central.password", "another");
        assertThatThrownBy(() -> pairs(p)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("pair.site-b.central.url: http://127.0.0.1:8082 is an instance of pair 'default'")
                        .doesNotContain("another").doesNotContain("district"));
    }

    @Test
    void theDefaultPairCanBeSwitchedOff() {
        Map<String, String> p = pairB();
        p.put("sync.defaultPair.enabled", "false");
        assertThat(pairs(p).keySet()).containsExactly("site-b");
        assertThatThrownBy(() -> pairs(Map.of("sync.defaultPair.enabled", "false")))
                .hasMessageContaining("sync.defaultPair.enabled: false, and no pair.<name>.local.url");
    }

    @Test
    void pairFilesAndSecretFilesAndEnvironment() throws Exception {
        Path config = temp.resolve("application.properties");
        Files.writeString(config, "sync.pairs.dir=pairs\npair.north.central.password=\n");
        Path dir = Files.createDirectories(temp.resolve("pairs"));
        Files.writeString(dir.resolve("north.properties"), String.join("\n", "local.url=http://north:8080",
                "local.username=n", "local.password=", "central.url=http://127.0.0.1:8082",
                "central.username=admin", "central.password=", "sync.tracker.pageSize=25"));
        Path secret = temp.resolve("north-local-password");
        Files.writeString(secret, "from-a-file\n");
        Map<String, String> env = Map.of("PAIR_NORTH_LOCAL_PASSWORD_FILE", secret.toString(),
                "PAIR_NORTH_CENTRAL_PASSWORD", "district");
        Properties props = ConfigLoader.load(config, env, Map.of());
        Map<String, SyncSettings> pairs = PairConfigs.forRun(SyncSettings.forRun(props));
        SyncSettings north = pairs.get("north");
        assertThat(north.local().password()).isEqualTo("from-a-file");
        assertThat(north.central().password()).isEqualTo("district");
        assertThat(north.trackerPageSize()).isEqualTo(25);
    }

    @Test
    void anUnreadableSecretFileNamesTheVariableNotAValue() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CENTRAL_PASSWORD_FILE", "/nonexistent/secret"),
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("CENTRAL_PASSWORD_FILE: cannot read /nonexistent/secret");
    }
}
