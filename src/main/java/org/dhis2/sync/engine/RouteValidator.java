package org.dhis2.sync.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
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
 * name no configured key; then what the files mean together (see {@link RouteModelCheck}).
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

    /**
     * Every problem of the route files: each file on its own (syntax, structure, placeholders), then all of them
     * together ({@link RouteModelCheck}) with the beans the engine provides ({@link EngineBeans}). Camel's own
     * lifecycle log lines are kept out of the output: validate prints its findings only.
     */
    public static List<Problem> validate(Path routesDir, Properties properties) {
        return QuietCamelLog.during(() -> validateQuietly(routesDir, properties,
                name -> Optional.ofNullable(EngineBeans.TYPES.get(name))));
    }

    private static List<Problem> validateQuietly(Path routesDir, Properties properties,
                                                 Function<String, Optional<Class<?>>> beans) {
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
        Loaded loaded = new Loaded();
        for (Path file : files) {
            problems.addAll(validateFile(file, properties, loaded));
        }
        problems.addAll(new RouteModelCheck(loaded.routes, loaded.routeConfigurationIds,
                name -> beans.apply(name).or(() -> Optional.ofNullable(loaded.yamlBeans.get(name)))).check());
        return problems;
    }

    /** What the route files define, collected file by file for the checks across files. */
    private static final class Loaded {
        final List<RouteModelCheck.LoadedRoute> routes = new ArrayList<>();
        final Set<String> routeConfigurationIds = new LinkedHashSet<>();
        final Map<String, Class<?>> yamlBeans = new HashMap<>();
    }

    /**
     * For a starting engine: the same checks with the beans it really bound (extra and test beans included);
     * throws {@link RouteProblemsException} naming every finding.
     */
    static void requireValid(Path routesDir, Properties properties, Function<String, Optional<Class<?>>> beans) {
        List<Problem> problems = QuietCamelLog.during(() -> validateQuietly(routesDir, properties, beans));
        if (!problems.isEmpty()) {
            throw new RouteProblemsException(problems);
        }
    }

    /** Findings in the route files of a starting engine, one per line. */
    static final class RouteProblemsException extends RuntimeException {
        RouteProblemsException(List<Problem> problems) {
            super(String.join("\n  ", problems.stream().map(Problem::toString).toList()));
        }
    }

    private static List<Problem> validateFile(Path file, Properties properties, Loaded loaded) {
        List<Problem> problems = new ArrayList<>();
        Set<String> templateParameters = new HashSet<>();
        try (DefaultCamelContext context = new DefaultCamelContext(false)) {
            context.getPropertiesComponent().setInitialProperties(properties);
            context.setSourceLocationEnabled(true);
            // as the engine configures it (camel.rest.inlineRoutes=false): REST routes call the routes, not absorb them
            context.getRestConfiguration().setInlineRoutes(false);
            Resource resource = ResourceHelper.resolveMandatoryResource(context,
                    "file:" + file.toAbsolutePath().toString().replace('\\', '/'));
            Set<String> camelBeans = context.getRegistry().findByTypeWithName(Object.class).keySet();
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            // {{name}} of a route template's own parameter is filled in by the template, not by the configuration
            context.getRouteTemplateDefinitions().forEach(t -> t.getTemplateParameters()
                    .forEach(parameter -> templateParameters.add(parameter.getName())));
            context.getRouteDefinitions().forEach(r -> loaded.routes.add(new RouteModelCheck.LoadedRoute(file, r)));
            // a pair's routes are templates: checked as written, {{pair}} taken out of bean and endpoint names
            context.getRouteTemplateDefinitions().forEach(t -> loaded.routes.add(
                    new RouteModelCheck.LoadedRoute(file, t.getRoute())));
            context.getRouteConfigurationDefinitions().forEach(c -> loaded.routeConfigurationIds.add(c.getId()));
            // beans a route file declares itself (- beans:)
            context.getRegistry().findByTypeWithName(Object.class).forEach((name, bean) -> {
                if (!camelBeans.contains(name)) {
                    loaded.yamlBeans.put(name, bean.getClass());
                }
            });
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
