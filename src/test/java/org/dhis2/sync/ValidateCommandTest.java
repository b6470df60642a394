package org.dhis2.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.engine.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code validate} finds what would only show at run time (or never): an unknown routeConfigurationId, a bean
 * method that does not exist, a direct: endpoint no route consumes; each with file and line. It prints its
 * findings only, and one invalid value gives one finding.
 */
class ValidateCommandTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int validate(Map<String, String> env, Path routes) {
        return Dhis2Sync.execute(new String[] {"validate", "--routes", routes.toString()}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The shipped routes with one line of one file replaced. */
    private Path shippedRoutesWith(String file, String line, String replacement) throws Exception {
        Path routes = TestEngines.routesWith(temp);
        Path f = routes.resolve(file);
        String text = Files.readString(f);
        assertThat(text).contains(line);
        Files.writeString(f, text.replace(line, replacement));
        return routes;
    }

    private static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    @Test
    void unknownRouteConfigurationIdIsReportedWithFileAndLine() throws Exception {
        Path routes = shippedRoutesWith("data-values.camel.yaml", "routeConfigurationId: dhis2Calls",
                "routeConfigurationId: dhis2Callz");
        int line = lineOf(routes.resolve("data-values.camel.yaml"), "dhis2Callz");

        assertThat(validate(Map.of(), routes)).as(errText()).isEqualTo(1);

        assertThat(errText()).contains("data-values.camel.yaml:" + line + ": ").contains("dhis2Callz")
                .contains("routeConfigurationId");
    }

    @Test
    void beanMethodTypoIsReportedWithFileAndLine() throws Exception {
        Path routes = shippedRoutesWith("availability.camel.yaml", "method: recordUnreachable",
                "method: recordUnreachabel");
        int line = lineOf(routes.resolve("availability.camel.yaml"), "recordUnreachabel");

        assertThat(validate(Map.of(), routes)).as(errText()).isEqualTo(1);

        assertThat(errText()).contains("availability.camel.yaml:").contains("recordUnreachabel")
                .contains("availabilityCheck");
        assertThat(errText()).containsPattern("availability\\.camel\\.yaml:(" + line + "|" + (line - 1) + "|"
                + (line - 2) + "): ");
    }

    @Test
    void directTargetTypoIsReportedWithFileAndLine() throws Exception {
        Path routes = shippedRoutesWith("availability.camel.yaml", "- to: direct:{{pair}}.pingDhis2",
                "- to: direct:{{pair}}.pingDhis3");
        int line = lineOf(routes.resolve("availability.camel.yaml"), "pingDhis3");

        assertThat(validate(Map.of(), routes)).as(errText()).isEqualTo(1);

        assertThat(errText()).contains("availability.camel.yaml:" + line + ": ").contains("direct:pingDhis3");
    }

    @Test
    void aStageRouteThatIsNotInstalledIsNoFindingWhereTheJobAsksFirst() throws Exception {
        Path routes = TestEngines.routesWith(temp);
        Files.delete(routes.resolve("tracker.camel.yaml"));

        assertThat(validate(Map.of(), routes)).as(errText()).isZero();
    }

    @Test
    void anInvalidValueGivesOneFindingNotFollowOnErrorsAboutDerivedKeys() throws Exception {
        assertThat(validate(Map.of("SYNC_DATAVALUES_PAGESIZE", "abc"), TestEngines.routesWith(temp)))
                .isEqualTo(1);

        assertThat(errText()).contains("sync.dataValues.pageSize: 'abc' is not a whole number")
                .doesNotContain("sync.retry.maximumRedeliveries").contains("1 problem(s) found");
    }

    @Test
    void printsOnlyItsFindingsNotCamelsLifecycleLogLines() throws Exception {
        Logger camel = (Logger) LoggerFactory.getLogger("org.apache.camel");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        camel.addAppender(logged);
        try {
            assertThat(validate(Map.of(), TestEngines.routesWith(temp))).as(errText()).isZero();
        } finally {
            camel.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8).strip().lines()).hasSize(1);
    }
}
