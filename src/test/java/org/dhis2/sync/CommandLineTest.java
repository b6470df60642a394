package org.dhis2.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Dhis2Sync.execute(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void validateAcceptsTheShippedConfigurationAndRoutes() {
        assertThat(run(Map.of(), "validate")).as(errText()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK");
    }

    @Test
    void validateReportsTheBrokenFileWithItsLineAndStillChecksTheOthers() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Files.copy(Path.of("src/test/resources/routes-broken/broken.camel.yaml"), routes.resolve("broken.camel.yaml"));
        Files.writeString(routes.resolve("placeholder.camel.yaml"), """
                - route:
                    id: usesUnknownKey
                    from:
                      uri: "timer:x?period={{sync.no.such.key}}"
                      steps:
                        - log: hi
                """);
        assertThat(run(Map.of(), "validate", "--routes", routes.toString())).isEqualTo(1);
        assertThat(errText())
                .containsPattern("broken\\.camel\\.yaml:\\d+: ")
                .contains("placeholder.camel.yaml:4: property placeholder {{sync.no.such.key}} names no configured key")
                .contains("2 problem(s) found");
    }

    @Test
    void environmentVariablesOverrideKeysAndBadValuesNameTheKey() {
        assertThat(run(Map.of("SYNC_DATAVALUES_PAGESIZE", "abc"), "validate")).isEqualTo(1);
        assertThat(errText()).contains("sync.dataValues.pageSize: 'abc' is not a whole number");
    }

    @Test
    void helpAndUnknownArguments() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("validate").contains("sandbox").contains("--config");
        assertThat(run(Map.of(), "frobnicate")).isEqualTo(2);
        assertThat(errText()).contains("Unknown argument: frobnicate");
    }
}
