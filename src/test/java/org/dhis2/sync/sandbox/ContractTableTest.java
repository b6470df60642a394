package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract table and the tests agree: every row names its DHIS2 source (or says GUESS / DIFFERENCE) and is
 * checked by at least one {@link Contract}-annotated test; every annotation names an existing row.
 */
class ContractTableTest {

    static final Path TABLE = Path.of("src/main/java/org/dhis2/sync/sandbox/CONTRACT.md");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*([A-Z]+-\\d+)\\s*\\|(.*)\\|(.*)\\|(.*)\\|\\s*$");
    private static final Pattern SOURCE = Pattern.compile(
            "core@\\d|dhis2-core|dhis2-android-sdk|android@|shared/fixtures|fixtures/dhis2|GUESS|DIFFERENCE");

    /** Row id to its DHIS2 source column. */
    static Map<String, String> rows() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(TABLE)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                assertThat(rows.put(m.group(1), m.group(3).trim())).as("row %s appears twice", m.group(1)).isNull();
            }
        }
        return rows;
    }

    /** Row id to the test methods that declare they check it. */
    static Map<String, List<String>> annotatedTests() throws Exception {
        Map<String, List<String>> byRow = new LinkedHashMap<>();
        Path classes = Path.of("target/test-classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, ContractTableTest.class.getClassLoader());
                for (Method method : type.getDeclaredMethods()) {
                    Contract contract = method.getAnnotation(Contract.class);
                    if (contract != null) {
                        for (String row : contract.value()) {
                            byRow.computeIfAbsent(row, r -> new ArrayList<>())
                                    .add(type.getSimpleName() + "." + method.getName());
                        }
                    }
                }
            }
        }
        return byRow;
    }

    @Test
    void everyRowNamesItsDhis2SourceOrSaysItIsAGuess() throws IOException {
        Map<String, String> rows = rows();
        assertThat(rows).isNotEmpty();
        rows.forEach((row, source) -> assertThat(SOURCE.matcher(source).find())
                .as("row %s names no DHIS2 source and is not marked GUESS/DIFFERENCE: %s", row, source).isTrue());
    }

    @Test
    void everyRowIsCheckedByATestAndEveryTestNamesARow() throws Exception {
        Map<String, String> rows = rows();
        Map<String, List<String>> tests = annotatedTests();
        Set<String> unchecked = new TreeSet<>(rows.keySet());
        unchecked.removeAll(tests.keySet());
        assertThat(unchecked).as("rows no @Contract test checks").isEmpty();
        Set<String> unknown = new TreeSet<>(tests.keySet());
        unknown.removeAll(rows.keySet());
        assertThat(unknown).as("@Contract rows missing from %s (used by %s)", TABLE, tests).isEmpty();
    }
}
