package org.dhis2.sync.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Checks every route file of a folder on its own, so that one broken file does not hide the problems of the
 * others: YAML syntax and Camel DSL structure (through Camel's own YAML loader) and property placeholders that
 * name no configured key.
 */
public final class RouteValidator {

    /** One problem, shown as {@code file:line: message}. */
    public record Problem(Path file, Integer line, String message) {
        @Override
        public String toString() {
            return file + (line == null ? "" : ":" + line) + ": " + message;
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");

    private RouteValidator() {
    }

    public static List<Path> routeFiles(Path routesDir) throws IOException {
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    public static List<Problem> validate(Path routesDir, Properties properties) {
        List<Problem> problems = new ArrayList<>();
        if (!Files.isDirectory(routesDir)) {
            problems.add(new Problem(routesDir, null, "routes folder not found"));
            return problems;
        }
        List<Path> files;
        try {
            files = routeFiles(routesDir);
        } catch (IOException e) {
            problems.add(new Problem(routesDir, null, "cannot list route files: " + e.getMessage()));
            return problems;
        }
        if (files.isEmpty()) {
            problems.add(new Problem(routesDir, null, "no *.camel.yaml route files"));
        }
        for (Path file : files) {
            problems.addAll(validateFile(file, properties));
        }
        return problems;
    }

    static List<Problem> validateFile(Path file, Properties properties) {
        List<Problem> problems = new ArrayList<>();
        Set<String> templateParameters = new HashSet<>();
        try (DefaultCamelContext context = new DefaultCamelContext(false)) {
            context.getPropertiesComponent().setInitialProperties(properties);
            Resource resource = ResourceHelper.resolveMandatoryResource(context,
                    "file:" + file.toAbsolutePath().toString().replace('\\', '/'));
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            // {{name}} of a route template's own parameter is filled in by the template, not by the configuration
            context.getRouteTemplateDefinitions().forEach(t -> t.getTemplateParameters()
                    .forEach(parameter -> templateParameters.add(parameter.getName())));
        } catch (Exception e) {
            problems.add(new Problem(file, RouteErrors.line(e).orElse(null), RouteErrors.rootMessage(e)));
        }
        problems.addAll(0, checkPlaceholders(file, properties, templateParameters));
        return problems;
    }

    private static List<Problem> checkPlaceholders(Path file, Properties properties, Set<String> templateParameters) {
        List<Problem> problems = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of(new Problem(file, null, "cannot read: " + e.getMessage()));
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = PLACEHOLDER.matcher(lines.get(i));
            while (m.find()) {
                String key = m.group(1).trim();
                if (key.contains(":")) {
                    continue; // has a default, or is a function such as env:, sys:, bean:
                }
                if (!properties.containsKey(key) && !templateParameters.contains(key)) {
                    problems.add(new Problem(file, i + 1, "property placeholder {{" + key + "}} names no configured key"));
                }
            }
        }
        return problems;
    }
}
