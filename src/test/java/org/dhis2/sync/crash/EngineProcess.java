package org.dhis2.sync.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.dhis2.sync.config.JobSchedule;
import org.dhis2.sync.engine.TestEngines;

/**
 * The engine as an operator runs it: {@code dhis2-sync run} in its own JVM, on a data directory that outlives it,
 * driven over its admin API. It can be killed with SIGKILL at any moment and started again on the same directory.
 */
final class EngineProcess implements AutoCloseable {

    static final String TOKEN = "kill-test-token-" + "5d1f0c9a7b3e4f21";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path home;
    private final Path config;
    private final int port;
    private Process process;
    private int starts;

    /** Writes the configuration (routes copied from the project, every schedule off) for the given pair. */
    EngineProcess(Path home, String localUrl, String centralUrl, Map<String, String> overrides) throws IOException {
        this.home = home;
        this.port = TestEngines.freePort();
        Properties p = new Properties();
        p.setProperty("local.url", localUrl);
        p.setProperty("central.url", centralUrl);
        p.setProperty("sync.db.embedded.dataDir", home.resolve("pg").toString());
        p.setProperty("sync.routes.dir", TestEngines.routesWith(home).toString());
        p.setProperty("sync.management.port", String.valueOf(port));
        p.setProperty("sync.admin.token", TOKEN);
        p.setProperty("sync.availability.attempts", "2");
        p.setProperty("sync.availability.delayMillis", "10");
        p.setProperty("metadata.sync.retry", "2");
        p.setProperty("metadata.sync.retry.time.frequency.millisec", "50");
        p.setProperty("dhis2.http.responseTimeoutMillis", "20000");
        JobSchedule.JOB_TYPES.forEach(type -> p.setProperty(JobSchedule.key(type, "enabled"), "false"));
        overrides.forEach(p::setProperty);
        this.config = home.resolve("engine.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "kill test engine");
        }
    }

    /** Starts {@code dhis2-sync run} and waits until its admin API answers. */
    void start() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        starts++;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), "org.dhis2.sync.Dhis2Sync", "run",
                "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("engine.log").toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the engine exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/api/jobs").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the engine did not start:\n" + log());
    }

    /** SIGKILL: no shutdown hook, no clean stop of anything. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL without waiting (callable from a sandbox handler thread). */
    void killNow() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM, as an operator's stop or a service manager sends it. */
    void terminate() {
        process.destroy();
    }

    boolean awaitExit(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitExit() throws InterruptedException {
        if (process != null && !process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the engine did not die");
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int starts() {
        return starts;
    }

    /** The process id (job_run.node is {@code <pid>@<host>}). */
    long pid() {
        return process.pid();
    }

    /** The whole log of every start of this engine. */
    String fullLog() throws IOException {
        return Files.readString(home.resolve("engine.log"));
    }

    /** Asks for a run now and returns the admin API's answer as it is (200, or 409 while the job runs). */
    HttpResponse<String> executeAnswer(String jobType) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/jobs/" + jobType + "/execute"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Starts a run now; returns its job id. */
    String execute(String jobType) throws Exception {
        HttpResponse<String> r = null;
        for (int i = 0; i < 100; i++) {
            r = send(HttpRequest.newBuilder(uri("/api/jobs/" + jobType + "/execute"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            if (r.statusCode() != 404 || !r.body().contains("no route")) {
                break;
            }
            Thread.sleep(100); // the admin API answers while the job routes are still starting
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("execute " + jobType + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("response").path("jobId").asText();
    }

    /** The recorded run (status, summary), once it has ended. */
    JsonNode awaitRun(String jobType, String jobId, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode run : JSON.readTree(get("/api/jobs/" + jobType + "/runs?pageSize=5").body())
                    .path("runs")) {
                if (run.path("jobId").asText().equals(jobId) && !run.path("status").asText().equals("RUNNING")) {
                    return run;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(jobType + " run " + jobId + " did not end in " + atMost + ":\n" + log());
    }

    /** Runs a job now and waits for its end. */
    JsonNode run(String jobType) throws Exception {
        return awaitRun(jobType, execute(jobType), Duration.ofMinutes(3));
    }

    /** A connection to the engine's bookkeeping (the embedded PostgreSQL's port is in its postmaster.pid). */
    Connection bookkeeping() throws Exception {
        String port = Files.readAllLines(home.resolve("pg/postmaster.pid")).get(3).trim();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    JsonNode getJson(String path) throws Exception {
        return JSON.readTree(get(path).body());
    }

    String log() {
        try {
            String all = Files.readString(home.resolve("engine.log"));
            return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A call without the admin token (cookies, if any, are the caller's headers). */
    HttpResponse<String> sendWithout(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: the engine stops its PostgreSQL
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
