package org.dhis2.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dhis2.sync.config.AdminCredentials;
import org.junit.jupiter.api.Test;

/** The sandbox tells where to look and how to call the admin API without showing a configured secret. */
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

    /** Every admin path the start-up text lists is one the routes serve (a renamed path fails here). */
    @Test
    void listsTheConsoleJolokiaAndAdminPathsTheRoutesServe() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SandboxCommand.printWhereToLook(8081, new AdminCredentials("ops", "s3cret-pw", ""),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("http://127.0.0.1:8081/console").contains("http://127.0.0.1:8081/observe/jolokia")
                .contains("http://127.0.0.1:8081/observe/health").contains("user ops").doesNotContain("s3cret-pw");

        String routes;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            routes = files.filter(f -> f.toString().endsWith(".yaml")).map(SandboxAdminHintTest::read)
                    .collect(Collectors.joining("\n"));
        }
        String listed = text.substring(text.indexOf("/api (") + 6, text.indexOf("; the same under"));
        assertThat(listed.split(", ")).hasSizeGreaterThan(12).allSatisfy(path -> {
            String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
            String rest = path.contains("/") ? path.substring(path.indexOf('/')) : "";
            assertThat(routes).as(path).containsAnyOf("path: \"/" + path + "\"", "path: /" + path,
                    "path: /api/" + first + "\n", "path: /" + first + "\n");
            assertThat(rest.isEmpty() || routes.contains("path: \"" + rest + "\"") || routes.contains(path))
                    .as(path).isTrue();
        });
        assertThat(Arrays.asList(listed.split(", "))).contains("pairs", "requests", "stats/daily");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
