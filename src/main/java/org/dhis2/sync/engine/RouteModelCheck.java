package org.dhis2.sync.engine;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.apache.camel.support.PatternHelper;
import org.dhis2.sync.engine.RouteValidator.Problem;

/**
 * Checks what Camel's loader accepts but a run would trip over, across all route files at once, each finding with
 * its file and line: a {@code routeConfigurationId} no route file defines (the route would run without the retry
 * rules), a {@code direct:} endpoint no route consumes, a bean step or method expression naming a bean or method
 * that does not exist, and a DHIS2 call in {@code dhis2Calls} whose {@code okStatusCodeRange} hides HTTP 429 from
 * the retry rule.
 */
final class RouteModelCheck {

    /** A route definition and the file it came from. */
    record LoadedRoute(Path file, RouteDefinition route) {
    }

    /** Route templates of a sync pair name their beans and endpoints {{pair}}.name; checked as name. */
    static final String PAIR_PREFIX = "{{pair}}.";
    private static final Pattern OK_RANGE = Pattern.compile("[?&]okStatusCodeRange=([0-9,\\-]+)");

    private final List<LoadedRoute> routes;
    private final Set<String> routeConfigurationIds;
    private final Function<String, Optional<Class<?>>> beanTypes;
    private final Map<Path, List<String>> fileLines = new HashMap<>();

    RouteModelCheck(List<LoadedRoute> routes, Set<String> routeConfigurationIds,
                    Function<String, Optional<Class<?>>> beanTypes) {
        this.routes = routes;
        this.routeConfigurationIds = routeConfigurationIds;
        this.beanTypes = beanTypes;
    }

    List<Problem> check() {
        Set<String> consumed = new LinkedHashSet<>();
        for (LoadedRoute r : routes) {
            directName(r.route().getInput().getUri()).ifPresent(consumed::add);
        }
        List<Problem> problems = new ArrayList<>();
        for (LoadedRoute r : routes) {
            checkRouteConfiguration(r, problems);
            List<ProcessorDefinition<?>> outputs = r.route().getOutputs();
            for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(outputs, SendDefinition.class)) {
                checkEndpoint(r, send, send.getUri(), consumed, problems);
            }
            for (ToDynamicDefinition toD : ProcessorDefinitionHelper.filterTypeInOutputs(outputs,
                    ToDynamicDefinition.class)) {
                checkEndpoint(r, toD, toD.getUri(), consumed, problems);
            }
            for (BeanDefinition bean : ProcessorDefinitionHelper.filterTypeInOutputs(outputs, BeanDefinition.class)) {
                checkBean(r, bean, bean.getRef(), bean.getMethod(), problems);
            }
            for (ExpressionNode node : ProcessorDefinitionHelper.filterTypeInOutputs(outputs, ExpressionNode.class)) {
                ExpressionDefinition expression = node.getExpression();
                if (expression instanceof MethodCallExpression call && call.getRef() != null) {
                    checkBean(r, node, call.getRef(), call.getMethod(), problems);
                }
            }
        }
        return problems;
    }

    private void checkRouteConfiguration(LoadedRoute r, List<Problem> problems) {
        String ids = r.route().getRouteConfigurationId();
        if (ids == null || ids.isBlank()) {
            return;
        }
        for (String id : ids.split(",")) {
            String wanted = id.trim();
            boolean known = routeConfigurationIds.stream().anyMatch(c -> PatternHelper.matchPattern(c, wanted));
            if (!known) {
                problems.add(problem(r, r.route(), wanted, "route '"
                        + r.route().getRouteId() + "' uses routeConfigurationId '" + wanted
                        + "', which no route file defines (known: " + String.join(", ", routeConfigurationIds)
                        + "); the route would run without its error handling"));
            }
        }
    }

    private void checkEndpoint(LoadedRoute r, ProcessorDefinition<?> node, String uri, Set<String> consumed,
                               List<Problem> problems) {
        if (uri == null) {
            return;
        }
        Optional<String> direct = directName(uri);
        if (direct.isPresent() && !direct.get().contains("${") && !direct.get().contains("{{")
                && !consumed.contains(direct.get()) && !guarded(node, "direct:" + direct.get())) {
            problems.add(problem(r, node, "direct:" + direct.get(), "direct:" + direct.get()
                    + " is not the from: of any route (a typo? sending to it fails at run time)"));
        }
        Matcher range = OK_RANGE.matcher(uri);
        if (range.find() && coversTooManyRequests(range.group(1)) && usesDhis2Calls(r.route())) {
            problems.add(problem(r, node, "okStatusCodeRange=", "okStatusCodeRange=" + range.group(1)
                    + " hides HTTP 429 (Too Many Requests) from the retry rule of dhis2Calls;"
                    + " use e.g. okStatusCodeRange=200-428,430-499"));
        }
    }

    private void checkBean(LoadedRoute r, ProcessorDefinition<?> node, String ref, String method,
                           List<Problem> problems) {
        if (ref != null && ref.startsWith(PAIR_PREFIX)) {
            ref = ref.substring(PAIR_PREFIX.length());
        }
        if (ref == null || ref.isBlank() || ref.contains("{{") || ref.contains("${")) {
            return;
        }
        String name = ref.startsWith("#bean:") ? ref.substring(6) : ref.startsWith("#") ? ref.substring(1) : ref;
        Optional<Class<?>> type = beanTypes.apply(name);
        if (type.isEmpty()) {
            problems.add(problem(r, node, name, "no bean named '" + name + "' (a typo? the beans the engine"
                    + " provides are listed in org.dhis2.sync.engine.EngineBeans)"));
            return;
        }
        if (method == null || method.isBlank()) {
            return;
        }
        String methodName = method.contains("(") ? method.substring(0, method.indexOf('(')).trim() : method.trim();
        boolean exists = Arrays.stream(type.get().getMethods()).map(Method::getName).anyMatch(methodName::equals);
        if (!exists) {
            problems.add(problem(r, node, methodName, "bean '" + name + "' (" + type.get().getSimpleName()
                    + ") has no method '" + methodName + "'"));
        }
    }

    /**
     * A send inside a filter or choice whose condition names the same endpoint (e.g.
     * {@code dataPushStages.shouldRun(${exchange}, 'direct:stage.tracker')}): it only happens when the route is
     * installed, so a missing route there is a choice, not a typo.
     */
    private static boolean guarded(ProcessorDefinition<?> node, String uri) {
        for (ProcessorDefinition<?> p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof ExpressionNode guard && guard.getExpression() != null) {
                ExpressionDefinition e = guard.getExpression();
                String text = e instanceof MethodCallExpression call ? call.getMethod() : e.getExpression();
                if (text != null && text.replace(PAIR_PREFIX, "").contains(uri)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean usesDhis2Calls(RouteDefinition route) {
        String ids = route.getRouteConfigurationId();
        return ids != null && Arrays.stream(ids.split(",")).map(String::trim).anyMatch("dhis2Calls"::equals);
    }

    static boolean coversTooManyRequests(String ranges) {
        for (String range : ranges.split(",")) {
            String[] bounds = range.trim().split("-");
            try {
                int from = Integer.parseInt(bounds[0].trim());
                int to = bounds.length > 1 ? Integer.parseInt(bounds[1].trim()) : from;
                if (from <= 429 && 429 <= to) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // not a range Camel accepts either; Camel reports it when the route starts
            }
        }
        return false;
    }

    private static Optional<String> directName(String uri) {
        if (uri == null || !uri.startsWith("direct:")) {
            return Optional.empty();
        }
        String name = uri.substring("direct:".length());
        if (name.startsWith("//")) {
            name = name.substring(2);
        }
        if (name.startsWith(PAIR_PREFIX)) {
            name = name.substring(PAIR_PREFIX.length());
        }
        int q = name.indexOf('?');
        return Optional.of(q < 0 ? name : name.substring(0, q));
    }

    /** A finding at the line of {@code token} at or after the node's line (the node's own line if not found). */
    private Problem problem(LoadedRoute r, ProcessorDefinition<?> node, String token, String message) {
        int start = Math.max(node.getLineNumber(), r.route().getLineNumber());
        Integer line = start > 0 ? start : null;
        List<String> lines = fileLines.computeIfAbsent(r.file(), RouteModelCheck::read);
        if (start > 0) {
            for (int i = start - 1; i < lines.size() && i < start + 40; i++) {
                if (lines.get(i).contains(token)) {
                    line = i + 1;
                    break;
                }
            }
        }
        return new Problem(r.file(), line, message);
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
