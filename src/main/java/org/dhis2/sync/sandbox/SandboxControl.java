package org.dhis2.sync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Loopback control of a running sandbox pair ({@code sandbox --pair-only}), so that a person who points a separately
 * started engine at the pair can make it misbehave on purpose:
 * <pre>
 *   POST /faults/{local|central}?method=POST&amp;path=/api/dataValueSets&amp;fault=503&amp;requests=1-3
 *        fault: an HTTP status (503, 429, 409, ...), reset (cut mid-answer), malformed (200 with broken JSON),
 *        hang (hold until the client gives up) or latency:MILLIS; requests: N, N-M or N- (from N on), default all
 *   POST /latency/{local|central}?millis=500      delay on every request
 *   POST /clear/{local|central}                   no more faults or latency
 *   GET  /link                                     both links and the bytes that crossed them (JSON)
 *   POST /link/{local|central}?preset=3g&amp;up=96000&amp;down=200000&amp;rtt=300ms&amp;jitter=30ms&amp;bodyLimit=10m
 *        &amp;timeout=60s&amp;gzip=true&amp;reset=true      change a link (preset first, then the figures given; reset
 *                                                  zeroes the counters); /link alone means central
 *   GET  /                                         what is set
 * </pre>
 * It binds to 127.0.0.1 only and needs no credentials: it reaches nothing but the emulator.
 */
public final class SandboxControl implements AutoCloseable {

    private final HttpServer server;
    private final SandboxPair pair;

    private SandboxControl(SandboxPair pair, int port) throws IOException {
        this.pair = pair;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
    }

    public static SandboxControl start(SandboxPair pair, int port) throws IOException {
        SandboxControl control = new SandboxControl(pair, port);
        control.server.start();
        return control;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            Map<String, List<String>> query = SandboxRequest.parseQuery(exchange.getRequestURI().getRawQuery());
            if (parts.length >= 2 && parts[1].equals("link")) {
                if (exchange.getRequestMethod().equals("POST")) {
                    changeLink(parts.length > 2 ? instance(parts[2]) : pair.central(), query);
                }
                answer(exchange, 200, "application/json", SandboxJson.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(links()) + "\n");
                return;
            }
            if (exchange.getRequestMethod().equals("GET") && parts.length <= 1) {
                answer(exchange, 200, describe());
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || parts.length != 3) {
                answer(exchange, 404, "unknown control call; GET / lists them\n");
                return;
            }
            Dhis2Instance instance = instance(parts[2]);
            switch (parts[1]) {
                case "faults" -> {
                    String method = first(query, "method", "*");
                    String path = first(query, "path", "/api");
                    FaultPlan.RuleBuilder rule = instance.faults().on(method, path);
                    String requests = first(query, "requests", "");
                    if (!requests.isEmpty()) {
                        String[] range = requests.split("-", -1);
                        long from = Long.parseLong(range[0]);
                        if (range.length == 1) {
                            rule.requests(from);
                        } else if (range[1].isEmpty()) {
                            rule.fromRequest(from);
                        } else {
                            rule.requestRange(from, Long.parseLong(range[1]));
                        }
                    }
                    rule.fail(fault(first(query, "fault", "503")));
                }
                case "latency" -> instance.faults().setLatency(Duration.ofMillis(Long.parseLong(first(query,
                        "millis", "0"))));
                case "clear" -> instance.faults().clear();
                default -> throw new IllegalArgumentException("unknown control call " + parts[1]);
            }
            answer(exchange, 200, describe());
        } catch (RuntimeException e) {
            answer(exchange, 400, e.getMessage() + "\n");
        } finally {
            exchange.close();
        }
    }

    private Dhis2Instance instance(String name) {
        return switch (name) {
            case "local" -> pair.local();
            case "central" -> pair.central();
            default -> throw new IllegalArgumentException("instance must be local or central");
        };
    }

    private static void changeLink(Dhis2Instance instance, Map<String, List<String>> query) {
        Link link = query.containsKey("preset") ? Link.preset(first(query, "preset", "lan")) : instance.link();
        link = link.withBandwidth(
                query.containsKey("up") ? Link.parseBandwidth(first(query, "up", "0")) : link.upBytesPerSecond(),
                query.containsKey("down") ? Link.parseBandwidth(first(query, "down", "0")) : link.downBytesPerSecond());
        link = link.withRtt(query.containsKey("rtt") ? Link.parseDuration(first(query, "rtt", "0")) : link.rtt(),
                query.containsKey("jitter") ? Link.parseDuration(first(query, "jitter", "0")) : link.jitter());
        if (query.containsKey("bodyLimit")) {
            link = link.withBodyLimit(Link.parseSize(first(query, "bodyLimit", "0")));
        }
        if (query.containsKey("timeout")) {
            link = link.withProxyTimeout(Link.parseDuration(first(query, "timeout", "0")));
        }
        if (query.containsKey("gzip")) {
            link = link.withProxyGzip(Boolean.parseBoolean(first(query, "gzip", "false")));
        }
        instance.setLink(link);
        if (Boolean.parseBoolean(first(query, "reset", "false"))) {
            instance.resetLinkTraffic();
        }
    }

    private com.fasterxml.jackson.databind.node.ObjectNode links() {
        var json = SandboxJson.object();
        for (Dhis2Instance instance : List.of(pair.local(), pair.central())) {
            Link link = instance.link();
            LinkLine.Traffic traffic = instance.linkTraffic();
            var node = json.putObject(instance.name());
            node.put("link", link.describe()).put("upBytesPerSecond", link.upBytesPerSecond())
                    .put("downBytesPerSecond", link.downBytesPerSecond()).put("rttMillis", link.rtt().toMillis())
                    .put("jitterMillis", link.jitter().toMillis()).put("bodyLimit", link.bodyLimit())
                    .put("proxyTimeoutMillis", link.proxyTimeout().toMillis()).put("proxyGzip", link.proxyGzip());
            node.putObject("traffic").put("requests", traffic.requests()).put("requestBytes", traffic.requestBytes())
                    .put("responseBytes", traffic.responseBytes());
        }
        return json;
    }

    static Fault fault(String text) {
        if (text.matches("\\d{3}")) {
            return Fault.status(Integer.parseInt(text));
        }
        if (text.startsWith("latency:")) {
            return Fault.latency(Duration.ofMillis(Long.parseLong(text.substring("latency:".length()))));
        }
        return switch (text) {
            case "reset" -> Fault.resetMidBody();
            case "malformed" -> Fault.malformedBody();
            case "hang" -> Fault.hang(Duration.ZERO);
            default -> throw new IllegalArgumentException("fault must be a status, reset, malformed, hang or "
                    + "latency:MILLIS, not '" + text + "'");
        };
    }

    private String describe() {
        return "local   " + pair.localServer().url() + "  latency " + pair.local().faults().latency().toMillis()
                + " ms  link " + pair.local().link().describe() + "\ncentral " + pair.centralServer().url()
                + "  latency " + pair.central().faults().latency().toMillis() + " ms  link "
                + pair.central().link().describe() + "\n";
    }

    private static String first(Map<String, List<String>> query, String key, String fallback) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        answer(exchange, status, "text/plain; charset=utf-8", text);
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String text)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
