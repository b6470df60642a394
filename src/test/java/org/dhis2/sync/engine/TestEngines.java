package org.dhis2.sync.engine;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.dhis2.sync.config.ConfigLoader;
import org.dhis2.sync.config.JobSchedule;

/** Builds engine configurations for tests: shipped defaults + a temporary data folder + a free management port. */
public final class TestEngines {

    private TestEngines() {
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Routes folder with the shipped route files plus the given test route files (from src/test/resources); a test
     * file with the name of a shipped file replaces it (e.g. a stand-in for a stage).
     */
    public static Path routesWith(Path tempDir, String... testRouteFolders) throws IOException {
        Path routes = Files.createDirectories(tempDir.resolve("routes"));
        try (var shipped = Files.list(Path.of("routes"))) {
            for (Path f : shipped.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        for (String folder : testRouteFolders) {
            try (var files = Files.list(Path.of("src/test/resources", folder))) {
                for (Path f : files.toList()) {
                    Files.copy(f, routes.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return routes;
    }

    public static Properties properties(Path dataDir, Path routes, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("sync.db.embedded.dataDir", dataDir.toString());
        all.put("sync.routes.dir", routes.toString());
        all.put("sync.management.port", String.valueOf(freePort()));
        all.put("metadata.sync.retry.time.frequency.millisec", "10");
        // throwaway bookkeeping: the fast, non-durable embedded PostgreSQL (EmbeddedStartupTest checks the default)
        all.put("sync.db.embedded.durable", "false");
        // no schedule fires in a test unless the test turns it on: runs are started by the test itself
        JobSchedule.JOB_TYPES.forEach(type -> all.put(JobSchedule.key(type, "enabled"), "false"));
        all.putAll(overrides);
        return ConfigLoader.load(null, Map.of(), all);
    }
}
