package org.dhis2.sync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.dhis2.sync.config.ConfigException;
import org.dhis2.sync.config.PairConfigs;
import org.dhis2.sync.config.ConfigLoader;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.EngineStartException;
import org.dhis2.sync.engine.RouteValidator;

/** Command line: {@code dhis2-sync [run|validate|sandbox] [--config FILE] [--routes DIR] [--help]}. */
public final class Dhis2Sync {

    static final String USAGE = """
            Usage: java -jar dhis2-sync.jar [command] [options]

            Commands:
              run        start the engine with the configuration (default)
              validate   check the configuration and every route file; exit 1 on any problem
              sandbox    start an emulated local + central DHIS2 pair with generated data and run the engine on it

            Options:
              --config FILE   configuration file (default config/application.properties)
              --routes DIR    folder of *.camel.yaml route files (default: sync.routes.dir, i.e. routes)
              --stacktrace    on a fatal error, print its stack trace too (by default one line names the cause)
              --help          show this help

            Any configuration key can also be set by an environment variable: the key in upper case with
            non-alphanumerics as '_' (sync.dataValues.pageSize -> SYNC_DATAVALUES_PAGESIZE).
            """;

    private Dhis2Sync() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = execute(args, System.getenv(), System.out, System.err);
        } catch (RuntimeException | Error e) {
            // whatever escaped: one line naming the cause, and an exit instead of a JVM kept alive by threads
            System.err.println("dhis2-sync: fatal: " + e.getMessage());
            if (List.of(args).contains("--stacktrace")) {
                e.printStackTrace();
            }
            code = 1;
        }
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs a command; returns the exit code, or -1 when the engine keeps running in background threads. */
    static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (cli.help) {
            out.print(USAGE);
            out.print(SandboxCommand.OPTIONS);
            return 0;
        }
        Properties properties;
        try {
            properties = ConfigLoader.load(cli.config, env, cli.overrides);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
        return switch (cli.command) {
            case "validate" -> validate(properties, out, err);
            case "run" -> run(properties, err, cli.stacktrace);
            case "sandbox" -> SandboxCommand.run(properties, cli.sandboxOptions, out, err);
            default -> throw new IllegalStateException(cli.command);
        };
    }

    private static int validate(Properties properties, PrintStream out, PrintStream err) {
        List<String> problems = new ArrayList<>();
        SyncSettings settings = null;
        try {
            settings = SyncSettings.forValidation(properties);
        } catch (ConfigException e) {
            e.problems().forEach(p -> problems.add("configuration: " + p));
        }
        Path routes = settings != null ? settings.routesDir() : Path.of(properties.getProperty("sync.routes.dir", "routes"));
        // route files see the same properties as at run time, the engine's derived ones included
        // (with invalid settings, the keys the engine derives are still known: one bad value, one finding)
        if (settings != null && !settings.local().url().isEmpty()) {
            try {
                PairConfigs.forRun(settings); // every declared pair (pair.<name>.*, sync.pairs.dir) as the engine reads it
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add("configuration: " + p));
            }
        }
        Properties routeProperties = settings != null ? Engine.camelProperties(settings)
                : Engine.withDerivedKeyNames(properties);
        RouteValidator.validate(routes, routeProperties).forEach(p -> problems.add(p.toString()));
        if (problems.isEmpty()) {
            out.println("OK: configuration and route files in " + routes + " are valid");
            return 0;
        }
        problems.forEach(err::println);
        err.println(problems.size() + " problem(s) found");
        return 1;
    }

    private static int run(Properties properties, PrintStream err, boolean stacktrace) {
        Engine engine;
        try {
            engine = Engine.start(SyncSettings.forRun(properties));
        } catch (ConfigException | EngineStartException e) {
            err.println("dhis2-sync cannot start: " + e.getMessage());
            if (stacktrace) {
                e.printStackTrace(err);
            }
            return 1;
        }
        awaitShutdown(engine);
        return 0;
    }

    /** Blocks until Ctrl-C / SIGTERM, then stops the engine (Camel first, then the database). */
    static void awaitShutdown(AutoCloseable... closeables) {
        // the embedded PostgreSQL waits for this hook to close the engine, so runs settle their pages in flight
        org.dhis2.sync.db.BookkeepingDatabase.ownerStopsOnExit();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("stop failed: " + e.getMessage());
                }
            }
            stopped.countDown();
        };
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "dhis2-sync-shutdown"));
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C / SIGTERM came while the engine was starting: stop it now, or PostgreSQL would be left running
            stop.run();
            return;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parsed arguments. */
    static final class CommandLine {
        String command = "run";
        Path config = Path.of("config/application.properties");
        final Map<String, String> overrides = new LinkedHashMap<>();
        final Map<String, String> sandboxOptions = new LinkedHashMap<>();
        boolean help;
        boolean stacktrace;

        static CommandLine parse(String[] args) {
            CommandLine cli = new CommandLine();
            boolean commandSeen = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> cli.help = true;
                    case "--stacktrace" -> cli.stacktrace = true;
                    case "--config" -> cli.config = Path.of(value(args, ++i, a));
                    case "--routes" -> cli.overrides.put("sync.routes.dir", value(args, ++i, a));
                    default -> {
                        if ("--pair-only".equals(a) && "sandbox".equals(cli.command)) {
                            cli.sandboxOptions.put("pair-only", "true");
                        } else if (a.startsWith("--") && "sandbox".equals(cli.command) && a.contains("=")) {
                            cli.sandboxOptions.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                        } else if (!commandSeen && List.of("run", "validate", "sandbox").contains(a)) {
                            cli.command = a;
                            commandSeen = true;
                        } else {
                            throw new IllegalArgumentException("Unknown argument: " + a);
                        }
                    }
                }
            }
            return cli;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
