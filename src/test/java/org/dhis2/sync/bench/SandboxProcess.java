package org.dhis2.sync.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchSandbox} in a child JVM (its own heap, so the benchmark's JVM measures the engine alone). Closing it
 * closes the child's stdin, which ends it; a child that does not end in time is killed.
 */
final class SandboxProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter commands;
    final String localUrl;
    final List<String> centralUrls;
    final List<String> extraLocalUrls = new ArrayList<>();
    final String ready;

    private SandboxProcess(Process process) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.ready = nextAnswer();
        if (!ready.startsWith("READY ")) {
            throw new IllegalStateException("sandbox did not start: " + ready);
        }
        String local = null;
        List<String> centrals = new ArrayList<>();
        for (String field : ready.split(" ")) {
            if (field.startsWith("local=")) {
                local = field.substring(6);
            } else if (field.startsWith("locals=")) {
                extraLocalUrls.addAll(List.of(field.substring(7).split(",")));
            } else if (field.startsWith("central=")) {
                centrals.addAll(List.of(field.substring(8).split(",")));
            }
        }
        this.localUrl = local;
        this.centralUrls = centrals;
    }

    /** Starts the sandbox JVM with the given {@link BenchSandbox} options and waits until it serves. */
    static SandboxProcess start(String heap, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-DLOG_LEVEL=WARN", "-cp", System.getProperty("java.class.path"),
                BenchSandbox.class.getName()));
        cmd.addAll(List.of(options));
        Path log = Files.createDirectories(Path.of("target", "bench")).resolve("sandbox.log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        try {
            return new SandboxProcess(p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Sends one command and returns its answer (see {@link BenchSandbox}). */
    String ask(String command) throws IOException {
        commands.println(command);
        String answer = nextAnswer();
        if (answer.startsWith("ERROR")) {
            throw new IllegalStateException("sandbox: " + command + " -> " + answer);
        }
        return answer;
    }

    /** CPU time the sandbox JVM has used so far, in milliseconds. */
    long cpuMillis() {
        return Machine.cpuMillis(process.pid());
    }

    long askLong(String command) throws IOException {
        return Long.parseLong(ask(command));
    }

    private String nextAnswer() throws IOException {
        for (String line; (line = answers.readLine()) != null; ) {
            if (line.startsWith(BenchSandbox.ANSWER)) {
                return line.substring(BenchSandbox.ANSWER.length());
            }
        }
        throw new IOException("the sandbox JVM ended (see target/bench/sandbox.log)");
    }

    @Override
    public void close() {
        commands.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
