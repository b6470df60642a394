package org.dhis2.sync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.job.JobProgress;

/**
 * B5 (bench/metadata.sh): N metadata versions created on central by the sandbox generator (each a full snapshot
 * after a few realistic changes) pulled by META_DATA_SYNC, time per version; then the start-to-ready time of the
 * jar ({@code java -jar target/dhis2-sync.jar run}) on an existing embedded PostgreSQL data folder, until
 * /observe/health answers UP (the first start, which extracts PostgreSQL and creates the folder, is not timed).
 */
public final class MetadataBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MetadataBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args);
        int versions = BenchOptions.integer(o, "versions", 50);
        int starts = BenchOptions.integer(o, "starts", 3);
        System.out.println("B5 metadata: " + versions + " versions; start-to-ready of the jar, " + starts + " starts");
        System.out.println(Machine.describe());
        try (SandboxProcess sandbox = SandboxProcess.start(o.getOrDefault("sandbox-heap", "1g"),
                "--metadata-versions=" + versions, "--org-units=100", "--data-elements=80")) {
            System.out.println("sandbox: " + sandbox.ready);
            String[] snapshots = sandbox.ask("snapshots 0").split(" ");
            System.out.printf("central: %s versions (baseline included), snapshot mean %d kB, largest %d kB%n",
                    snapshots[0], Long.parseLong(snapshots[1]) >> 10, Long.parseLong(snapshots[2]) >> 10);
            Path pg = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "pg-metadata-");
            try (BenchEngine engine = BenchEngine.start(pg, sandbox.localUrl, sandbox.centralUrls.get(0), Map.of())) {
                String loadBefore = Machine.load();
                BenchEngine.Timed t = engine.run("META_DATA_SYNC");
                long metadataMillis = 0;
                for (JobProgress.Process p : t.run().progress().processes()) {
                    if (p.getDescription().toLowerCase().contains("metadata") && p.getDuration() != null) {
                        metadataMillis += p.getDuration();
                    }
                }
                long imported = importedVersions(engine);
                if (imported != versions) {
                    throw new IllegalStateException(imported + " of " + versions + " versions recorded as imported");
                }
                System.out.printf("RESULT B5 metadata versions=%d job %d ms, metadata processes %d ms = %.0f ms per "
                                + "version; %d recorded IMPORTED (load %s -> %s)%n", versions, t.millis(),
                        metadataMillis, metadataMillis / (double) versions, imported, loadBefore, Machine.load());
            }
            startToReady(sandbox, starts);
        }
    }

    private static long importedVersions(BenchEngine engine) throws Exception {
        try (Connection c = engine.engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from metadata_version where status = 'IMPORTED'");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Starts the jar once untimed (creates the data folder), then {@code starts} times timed. */
    private static void startToReady(SandboxProcess sandbox, int starts) throws Exception {
        Path jar = Path.of("target", "dhis2-sync.jar");
        Path dir = Files.createTempDirectory(Path.of("target", "bench"), "startup-");
        int port = TestEngines.freePort();
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "local.url=" + sandbox.localUrl, "central.url=" + sandbox.centralUrls.get(0),
                "sync.db.embedded.dataDir=" + dir.resolve("pg").toAbsolutePath(),
                "sync.management.port=" + port,
                "sync.routes.dir=" + Path.of("routes").toAbsolutePath(), ""));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "run", "--config", config.toString());
        long first = startAndStop(cmd, port, dir.resolve("first-start.log"));
        System.out.printf("jar first start (creates the embedded PostgreSQL data folder; not counted): %d ms%n",
                first);
        List<Long> times = new ArrayList<>();
        for (int i = 1; i <= starts; i++) {
            String loadBefore = Machine.load();
            long ms = startAndStop(cmd, port, dir.resolve("start-" + i + ".log"));
            times.add(ms);
            System.out.printf("jar start %d: ready in %d ms (load %s)%n", i, ms, loadBefore);
        }
        long median = times.stream().sorted().toList().get(times.size() / 2);
        System.out.printf("RESULT B5 start-to-ready median %d ms of %s (target < 5000 ms: %s) load=%s%n", median,
                times, median < 5000 ? "met" : "NOT met", Machine.load());
    }

    /** Milliseconds from process start until /observe/health answers UP; then stops the process (SIGTERM). */
    private static long startAndStop(List<String> cmd, int port, Path log) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the jar ended with " + p.exitValue() + ", see " + log);
                }
                if (healthUp(port)) {
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    System.out.printf("  ready after %d ms wall, %d ms CPU of the jar's JVM%n", ms,
                            Machine.cpuMillis(p.pid()));
                    return ms;
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("not ready within 180 s, see " + log);
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean healthUp(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/observe/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
