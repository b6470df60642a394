package org.dhis2.sync.engine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/** Turns a route-loading failure into "file:line: problem" for operators editing route YAML. */
public final class RouteErrors {

    private static final Pattern LOCATION = Pattern.compile("(?:file:)?([^\\s:'\"]+\\.camel\\.yaml)(?::(\\d+))?");
    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private RouteErrors() {
    }

    /** Line (1-based) of a YAML problem found in the cause chain, if any. */
    public static Optional<Integer> line(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                var mark = marked.getProblemMark().or(marked::getContextMark);
                if (mark.isPresent()) {
                    return Optional.of(mark.get().getLine() + 1);
                }
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            Matcher m = LINE.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return Optional.of(Integer.parseInt(m.group(1)));
            }
        }
        return Optional.empty();
    }

    /** The most specific message in the chain (the root problem, not Camel's wrappers). */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (root instanceof MarkedYamlEngineException marked) {
            message = marked.getProblem();
        }
        return (message == null ? root.getClass().getSimpleName() : message).strip();
    }

    /** For an engine start failure: names the route file and line when the failure came from a route file. */
    public static String describe(Throwable error, Path routesDir) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RouteValidator.RouteProblemsException problems) {
                return problems.getMessage();
            }
        }
        String file = null;
        for (Throwable t = error; t != null && file == null; t = t.getCause()) {
            Matcher m = LOCATION.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                file = m.group(1);
            }
        }
        if (file == null) {
            return rootMessage(error);
        }
        String name = Path.of(file).getFileName().toString();
        String shown = routesDir.resolve(name).toString();
        return shown + line(error).map(l -> ":" + l).orElse("") + ": " + rootMessage(error);
    }
}
