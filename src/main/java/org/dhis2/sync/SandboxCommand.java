package org.dhis2.sync;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.AdminCredentials;
import org.dhis2.sync.config.ConfigException;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.db.BookkeepingDatabase;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.EngineStartException;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobEndpoints;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.JobScheduler;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.Link;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxControl;
import org.dhis2.sync.sandbox.SandboxPair;

/**
 * {@code dhis2-sync sandbox}: starts an emulated local and central DHIS2 on loopback ports with generated data,
 * prints how to reach them, starts the engine against them (embedded PostgreSQL, throwaway bookkeeping under
 * data/sandbox), runs every sync job once, and keeps serving until Ctrl-C.
 */
final class SandboxCommand {

    static final String OPTIONS = """
            Sandbox options (--name=value):
              --version=2.40          DHIS2 version of both instances (2.39, 2.40, 2.41, 2.42)
              --local-version=...     version of the local instance only
              --central-version=...   version of the central instance only
              --size=demo             generated world: small or demo
              --data-values=N         number of generated data values on local
              --tracked-entities=N    number of generated tracked entities on local
              --local-port=0          port of the local instance (0 = any free port); --central-port likewise
              --local-time-zone=UTC   server time zone of the local instance (e.g. Africa/Nairobi);
                                      --central-time-zone likewise
              --pair-only             serve only the emulated pair (no engine) until Ctrl-C, for an engine
                                      started separately with `run` (fixed ports: --local-port, --central-port);
                                      faults and links are set over HTTP on --control-port (0 = any free port)
              --link=lan              the link between the field site and central: central sits behind it (the
                                      engine runs next to local). Presets, per direction down / up, round trip:
                                        lan   no limits
                                        3g    1.6 Mbit/s / 768 kbit/s, 300 ms +- 30 ms (WebPageTest "3G" profile)
                                        vsat  2 Mbit/s / 512 kbit/s, 600 ms +- 50 ms (typical geostationary VSAT)
              --local-link=lan        the same for the local instance (default: none)
              --link-body-limit=0     an nginx in front of central refuses larger request bodies with 413
                                      (client_max_body_size; e.g. 10m, the DHIS2 nginx guide's value; 0 = none)
              --link-timeout=0        ... and answers 504 when central's answer has not started within this time
                                      (proxy_read_timeout, e.g. 60s; central still finishes the request)
              --link-gzip=false       ... and gzips JSON/XML answers for clients that accept gzip (nginx gzip on)
            """;

    /** Jobs run once at start, in this order, when their route exists; META_DATA_SYNC already runs the pushes. */
    private static final List<String> FIRST_RUN = List.of("META_DATA_SYNC");
    private static final List<String> FIRST_RUN_WITHOUT_METADATA =
            List.of("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC");

    private SandboxCommand() {
    }

    static int run(Properties properties, Map<String, String> options, PrintStream out, PrintStream err) {
        if (Boolean.parseBoolean(options.getOrDefault("pair-only", "false"))) {
            return pairOnly(options, out, err);
        }
        Started started;
        try {
            started = start(properties, options, out);
        } catch (IllegalArgumentException | java.time.DateTimeException | ConfigException | EngineStartException
                 | IOException e) {
            err.println("dhis2-sync sandbox cannot start: " + e.getMessage());
            err.print(OPTIONS);
            return 1;
        }
        boolean succeeded = runJobsOnce(started.engine(), out);
        if (!succeeded) {
            err.println("dhis2-sync sandbox: a first run FAILED (see above and the admin API's jobs/{jobType}/runs);"
                    + " serving anyway so that it can be inspected.");
        }
        out.println("Serving until Ctrl-C.");
        Dhis2Sync.awaitShutdown(started.engine(), started.pair());
        return succeeded ? 0 : 1;
    }

    record Started(SandboxPair pair, Engine engine) {
    }

    /**
     * {@code sandbox --pair-only}: the emulated local + central with generated data and a loopback control endpoint
     * for faults, until Ctrl-C; the engine is started separately ({@code run}) and can be killed and restarted.
     */
    static int pairOnly(Map<String, String> options, PrintStream out, PrintStream err) {
        SandboxPair pair;
        SandboxControl control;
        try {
            pair = startPair(options, out);
            try {
                control = SandboxControl.start(pair, Integer.parseInt(options.getOrDefault("control-port", "0")));
            } catch (IOException | RuntimeException e) {
                pair.close();
                throw e;
            }
        } catch (IllegalArgumentException | java.time.DateTimeException | IOException e) {
            err.println("dhis2-sync sandbox cannot start: " + e.getMessage());
            err.print(OPTIONS);
            return 1;
        }
        out.println("Point an engine at this pair, e.g.:");
        out.printf("  LOCAL_URL=%s CENTRAL_URL=%s java -jar target/dhis2-sync.jar run%n", pair.localServer().url(),
                pair.centralServer().url());
        out.println("  (credentials " + pair.local().username() + " / " + pair.local().password()
                + ", the defaults of config/application.properties)");
        out.println("Faults: " + control.url() + "  e.g. curl -X POST '" + control.url()
                + "/faults/central?method=POST&path=/api/dataValueSets&fault=503&requests=1-3'");
        out.println("        fault = status | reset | malformed | hang | latency:MILLIS;  POST /latency/central?millis=500;"
                + "  POST /clear/central;  GET / shows what is set");
        out.println("Links:  GET " + control.url() + "/link (settings and bytes counted);  POST " + control.url()
                + "/link/central?preset=vsat&bodyLimit=10m&timeout=60s&reset=true");
        out.println("Serving until Ctrl-C.");
        Dhis2Sync.awaitShutdown(control, pair);
        return 0;
    }

    /** Starts the pair on the given ports and versions, fills it, prints how to reach it. */
    static SandboxPair startPair(Map<String, String> options, PrintStream out) throws IOException {
        String both = options.getOrDefault("version", "2.40");
        Dhis2Version localVersion = Dhis2Version.parse(options.getOrDefault("local-version", both));
        Dhis2Version centralVersion = Dhis2Version.parse(options.getOrDefault("central-version", both));
        GeneratorSpec spec = "small".equals(options.getOrDefault("size", "demo")) ? GeneratorSpec.small()
                : GeneratorSpec.demo();
        if (options.containsKey("data-values")) {
            spec = spec.withDataValues(Integer.parseInt(options.get("data-values")));
        }
        if (options.containsKey("tracked-entities")) {
            spec = spec.withTrackedEntities(Integer.parseInt(options.get("tracked-entities")));
        }
        SandboxPair pair = SandboxPair.start(localVersion, centralVersion,
                Integer.parseInt(options.getOrDefault("local-port", "0")),
                Integer.parseInt(options.getOrDefault("central-port", "0")));
        try {
            if (options.containsKey("local-time-zone")) {
                pair.local().clock().setZone(ZoneId.of(options.get("local-time-zone")));
            }
            if (options.containsKey("central-time-zone")) {
                pair.central().clock().setZone(ZoneId.of(options.get("central-time-zone")));
            }
            pair.central().setLink(centralLink(options));
            pair.local().setLink(Link.preset(options.getOrDefault("local-link", "lan")));
            SandboxGenerator.populate(pair, spec);
            out.println();
            out.println("Sandbox DHIS2 pair (emulated, in memory):");
            out.printf("  local   DHIS2 %s  %s  user %s / password %s  (server time zone %s)%n", localVersion,
                    pair.localServer().url(), pair.local().username(), pair.local().password(),
                    pair.local().clock().getZone().getId());
            out.printf("  central DHIS2 %s  %s  user %s / password %s  (server time zone %s)%n", centralVersion,
                    pair.centralServer().url(), pair.central().username(), pair.central().password(),
                    pair.central().clock().getZone().getId());
            out.printf("  link to central: %s%n  link to local:   %s%n", pair.central().link().describe(),
                    pair.local().link().describe());
            out.printf("  generated on local: %d data values, %d tracked entities; %d metadata versions on central%n",
                    pair.local().aggregate().size(), spec.trackedEntities(), spec.metadataVersions());
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    /** {@code --link} and the proxy options, for the central instance. */
    static Link centralLink(Map<String, String> options) {
        return Link.preset(options.getOrDefault("link", "lan"))
                .withBodyLimit(Link.parseSize(options.getOrDefault("link-body-limit", "0")))
                .withProxyTimeout(Link.parseDuration(options.getOrDefault("link-timeout", "0")))
                .withProxyGzip(Boolean.parseBoolean(options.getOrDefault("link-gzip", "false")));
    }

    static Started start(Properties properties, Map<String, String> options, PrintStream out) throws IOException {
        SandboxPair pair = startPair(options, out);
        try {
            Path sandboxData = Path.of("data", "sandbox");
            // a new world each time: forget the previous bookkeeping (after stopping what a killed sandbox left running)
            BookkeepingDatabase.discardEmbedded(sandboxData.resolve("pg"));
            Properties props = new Properties();
            props.putAll(properties);
            props.setProperty("local.url", pair.localServer().url());
            props.setProperty("local.username", pair.local().username());
            props.setProperty("local.password", pair.local().password());
            props.setProperty("local.token", "");
            props.setProperty("central.url", pair.centralServer().url());
            props.setProperty("central.username", pair.central().username());
            props.setProperty("central.password", pair.central().password());
            props.setProperty("central.token", "");
            props.setProperty("sync.db.url", "");
            props.setProperty("sync.db.embedded.dataDir", sandboxData.resolve("pg").toString());
            Engine engine = Engine.start(SyncSettings.forRun(props));
            printWhereToLook(engine.managementPort(), engine.settings().admin(), out);
            return new Started(pair, engine);
        } catch (IOException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    /** The engine's addresses a newcomer looks at first: health, metrics, the admin API, the console, Jolokia. */
    static void printWhereToLook(int port, AdminCredentials admin, PrintStream out) {
        String base = "http://127.0.0.1:" + port;
        out.printf("Engine: health %s/observe/health, metrics %s/observe/metrics%n", base, base);
        out.printf("Console: %s/console (log in with the admin credentials below)%n", base);
        out.printf("Admin API: %s/api (pairs, jobs, jobs/{jobType}/execute, jobs/{jobType}/runs, jobs/runs/{jobId},"
                + " scheduling/completed/{jobType}, sync/conflicts, sync/items, sync/items/{kind}/{uid}/resend,"
                + " requests, metadata/versions, stats/daily, download/trackedEntities,"
                + " trackedEntityAttributes/{uid}/generate; the same under pairs/{pair}/ for each pair)%n", base);
        out.printf("Jolokia (Hawtio): %s/observe/jolokia%n", base);
        out.println("  authenticate with " + howToAuthenticate(admin));
    }

    /** How to call the admin API, without showing a configured secret. */
    static String howToAuthenticate(AdminCredentials admin) {
        if (admin.none()) {
            return "the generated token shown above: Authorization: Bearer <token>";
        }
        String basic = admin.hasBasic() ? "HTTP Basic as user " + admin.username() + " (password: sync.admin.password)"
                : "";
        String token = admin.hasToken() ? "Authorization: Bearer <sync.admin.token>" : "";
        return basic.isEmpty() ? token : token.isEmpty() ? basic : basic + ", or " + token;
    }

    /**
     * Runs each first job once and prints how it really ended (the recorded run's status and summary); returns
     * whether every run succeeded.
     */
    static boolean runJobsOnce(Engine engine, PrintStream out) {
        List<String> jobs = hasJob(engine, "META_DATA_SYNC") ? FIRST_RUN : FIRST_RUN_WITHOUT_METADATA;
        JobCoordinator runs = engine.context().getRegistry().lookupByNameAndType("jobs", JobCoordinator.class);
        boolean any = false;
        boolean allSucceeded = true;
        for (String job : jobs) {
            if (!hasJob(engine, job)) {
                continue;
            }
            any = true;
            out.println("Running " + job + " once...");
            JobRun before = runs.lastFinished(job).orElse(null);
            Exchange result = engine.context().createProducerTemplate().send(JobEndpoints.jobRoute(runs.syncPair(), job),
                    e -> e.getMessage().setHeader("trigger", "SANDBOX_START"));
            JobRun run = runs.lastFinished(job).filter(r -> r != before).orElse(null);
            if (run == null) {
                allSucceeded = false;
                out.println(job + ": FAILED: " + (result.getException() == null ? "the run was not recorded"
                        : result.getException().getMessage()));
            } else {
                allSucceeded &= run.status() == JobRun.Status.SUCCESS;
                out.println(job + ": " + run.status() + ": " + run.summary());
            }
        }
        if (!any) {
            out.println("No sync job routes are installed yet; the engine is idle.");
        }
        return allSucceeded;
    }

    private static boolean hasJob(Engine engine, String jobType) {
        return JobScheduler.hasJobRoute(engine.context(), "default", jobType);
    }
}
