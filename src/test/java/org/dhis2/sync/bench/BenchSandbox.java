package org.dhis2.sync.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.Link;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.SandboxServer;
import org.dhis2.sync.sandbox.TrackerStore;

/**
 * The DHIS2 side of a benchmark, in its own JVM so that the measured JVM holds the engine alone: one local instance
 * with generated data and several fresh centrals with the same metadata (one per compared run), on loopback ports.
 * Driven over stdin, one command per line, answered on stdout with a line starting {@value #ANSWER} (other stdout
 * lines are logging). Ends when stdin closes, so it never outlives the benchmark that started it.
 *
 * <pre>
 * latency MS                       added latency on every request of every instance
 * count TARGET METHOD PATH         requests TARGET (local, 0, 1, ...) received since the last clear
 * imports TARGET                   requests other than GET that TARGET received since the last clear
 * clear                            clears every request log
 * values TARGET                    data values TARGET holds (not deleted)
 * tracked TARGET                   tracked entities TARGET holds (not deleted)
 * version TARGET                   TARGET's current metadata version name
 * snapshots TARGET                 TARGET's metadata versions: count, and mean and largest snapshot size in bytes
 * peak TARGET                      most requests TARGET served at once since its last traffic reset
 * </pre>
 * Option --extra-locals=N starts N more locals of the same world (READY lists them as locals=URL,URL,...).
 * <pre>
 * </pre>
 */
public final class BenchSandbox {

    static final String ANSWER = "@@ ";

    private BenchSandbox() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args);
        GeneratorSpec spec = new GeneratorSpec(42L, BenchOptions.integer(o, "org-units", 220),
                BenchOptions.integer(o, "data-elements", 60), 3, 4, BenchOptions.integer(o, "periods", 24),
                BenchOptions.integer(o, "data-values", 0), BenchOptions.decimal(o, "registrations", 0),
                BenchOptions.integer(o, "event-programs", 0), BenchOptions.integer(o, "events", 0),
                BenchOptions.integer(o, "tracker-programs", 1), BenchOptions.integer(o, "tracked-entities", 0),
                BenchOptions.integer(o, "relationships", 0), BenchOptions.integer(o, "metadata-versions", 0));
        Dhis2Version version = Dhis2Version.parse(o.getOrDefault("version", "2.40"));
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        List<SandboxServer> centrals = new ArrayList<>();
        try (SandboxPair pair = SandboxPair.start(version, version)) {
            SandboxGenerator.populate(pair, spec);
            centrals.add(pair.centralServer());
            for (int i = 1; i < BenchOptions.integer(o, "centrals", 1); i++) {
                SandboxServer extra = SandboxServer.start(new Dhis2Instance("central" + i, version));
                SandboxGenerator.populateCentral(extra.instance(), spec);
                centrals.add(extra);
            }
            List<SandboxServer> extraLocals = new ArrayList<>();
            for (int i = 0; i < BenchOptions.integer(o, "extra-locals", 0); i++) {
                SandboxServer extra = SandboxServer.start(new Dhis2Instance("local" + (i + 1), version));
                SandboxGenerator.populateLocal(extra.instance(), spec);
                extraLocals.add(extra);
            }
            List<Dhis2Instance> all = new ArrayList<>(List.of(pair.local()));
            extraLocals.forEach(l -> all.add(l.instance()));
            centrals.forEach(c -> all.add(c.instance()));
            all.forEach(i -> i.requests().setRecordBodies(false));
            StringBuilder ready = new StringBuilder(ANSWER + "READY local=" + pair.localServer().url() + " central=");
            for (int i = 0; i < centrals.size(); i++) {
                ready.append(i == 0 ? "" : ",").append(centrals.get(i).url());
            }
            if (!extraLocals.isEmpty()) {
                ready.append(" locals=").append(String.join(",", extraLocals.stream().map(SandboxServer::url)
                        .toList()));
            }
            out.println(ready.append(" values=").append(pair.local().aggregate().count())
                    .append(" tracked=").append(pair.local().tracker().count(TrackerStore.Kind.TRACKED_ENTITY, false))
                    .append(" generatedMillis=").append((System.nanoTime() - t0) / 1_000_000));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String answer;
                try {
                    answer = answer(line.trim().split("\\s+"), pair.local(), centrals, all);
                } catch (RuntimeException e) {
                    answer = "ERROR " + e;
                }
                out.println(ANSWER + answer);
                out.flush();
            }
        } finally {
            for (int i = 1; i < centrals.size(); i++) {
                centrals.get(i).close();
            }
        }
    }

    private static String answer(String[] c, Dhis2Instance local, List<SandboxServer> centrals,
                                 List<Dhis2Instance> all) {
        return switch (c[0]) {
            case "latency" -> {
                all.forEach(i -> i.faults().setLatency(Duration.ofMillis(Long.parseLong(c[1]))));
                yield "OK";
            }
            case "link" -> { // link TARGET PRESET|lan [bodyLimit=1m] [rttMs=300]: the emulated line in front of one instance
                Dhis2Instance instance = target(c[1], local, centrals);
                if ("keep".equals(c[2])) { // the same line, counters from zero
                    instance.resetLinkTraffic();
                    yield instance.link().describe();
                }
                Link link = Link.preset(c[2]);
                for (int i = 3; i < c.length; i++) {
                    String[] kv = c[i].split("=", 2);
                    link = switch (kv[0]) {
                        case "bodyLimit" -> link.withBodyLimit(Link.parseSize(kv[1]));
                        case "rttMs" -> link.withRtt(Duration.ofMillis(Long.parseLong(kv[1])), Duration.ZERO);
                        default -> throw new IllegalArgumentException("unknown link option " + kv[0]);
                    };
                }
                instance.setLink(link);
                instance.resetLinkTraffic();
                yield link.describe();
            }
            case "traffic" -> { // requests, bytes received, bytes sent by the instance (on its side of the link)
                var t = target(c[1], local, centrals).linkTraffic();
                yield t.requests() + " " + t.requestBytes() + " " + t.responseBytes();
            }
            case "peak" -> String.valueOf(target(c[1], local, centrals).linkTraffic().peakInFlight());
            case "clear" -> {
                all.forEach(i -> i.requests().clear());
                yield "OK";
            }
            case "count" -> String.valueOf(target(c[1], local, centrals).requests().count(c[2], c[3]));
            case "imports" -> String.valueOf(target(c[1], local, centrals).requests().all().stream()
                    .filter(e -> !"GET".equals(e.method())).count());
            case "values" -> String.valueOf(target(c[1], local, centrals).aggregate().count());
            case "tracked" -> String.valueOf(target(c[1], local, centrals).tracker()
                    .count(TrackerStore.Kind.TRACKED_ENTITY, false));
            case "version" -> target(c[1], local, centrals).metadataVersions().currentVersionName().orElse("none");
            case "snapshots" -> {
                var sizes = target(c[1], local, centrals).metadataVersions().list().stream()
                        .mapToLong(v -> v.snapshot().length()).summaryStatistics();
                yield sizes.getCount() + " " + (long) sizes.getAverage() + " " + sizes.getMax();
            }
            default -> "ERROR unknown command " + c[0];
        };
    }

    private static Dhis2Instance target(String name, Dhis2Instance local, List<SandboxServer> centrals) {
        return "local".equals(name) ? local : centrals.get(Integer.parseInt(name)).instance();
    }
}
