package org.dhis2.sync.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Maps method + path template ({@code /api/metadata/version/{name}/data}) to a handler, optionally per version. */
public final class Router {

    private record Route(String method, String[] segments, Predicate<Dhis2Version> availableIn, Handler handler) {
    }

    /** A match: the handler and the path variables. */
    public record Match(Handler handler, Map<String, String> variables) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Handler handler) {
        return add("GET", template, v -> true, handler);
    }

    public Router post(String template, Handler handler) {
        return add("POST", template, v -> true, handler);
    }

    public Router add(String method, String template, Predicate<Dhis2Version> availableIn, Handler handler) {
        routes.add(new Route(method, split(template), availableIn, handler));
        return this;
    }

    /** Finds the handler; a path that exists for another method only is reported as 405 by the server. */
    public Optional<Match> find(String method, String path, Dhis2Version version) {
        String[] segments = split(path);
        for (Route route : routes) {
            if (!route.method.equals(method) || !route.availableIn.test(version)) {
                continue;
            }
            Map<String, String> vars = match(route.segments, segments);
            if (vars != null) {
                return Optional.of(new Match(route.handler, vars));
            }
        }
        return Optional.empty();
    }

    public boolean existsForOtherMethod(String method, String path, Dhis2Version version) {
        String[] segments = split(path);
        // catch-all templates such as /api/{collection} do not make every path a "wrong method" answer
        return routes.stream().anyMatch(r -> !r.method.equals(method) && r.availableIn.test(version)
                && !isCatchAll(r.segments) && match(r.segments, segments) != null);
    }

    private static boolean isCatchAll(String[] template) {
        for (int i = 1; i < template.length; i++) {
            if (!template[i].startsWith("{")) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                vars.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return vars;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/");
    }
}
