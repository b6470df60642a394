package org.dhis2.sync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one {@link Dhis2Instance} over real HTTP on the loopback interface: versioned paths, authentication as
 * DHIS2 does it (302 without credentials, 401 on wrong Basic credentials, ApiToken), scripted faults, the request
 * log, and DHIS2's error bodies.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    private static final Pattern VERSIONED = Pattern.compile("^/api/(\\d{2})(/.*)?$");
    /** Where DHIS2's FormLoginBasicAuthenticationEntryPoint sends an anonymous API request (before / since 2.41). */
    private static final String LOGIN_PAGE = "/dhis-web-commons/security/login.action";
    private static final String LOGIN_APP = "/dhis-web-login";

    private final Dhis2Instance instance;
    private final HttpServer server;
    private final ExecutorService workers;
    private final Router router;
    private volatile boolean stopping;

    private SandboxServer(Dhis2Instance instance, int port) throws IOException {
        this.instance = instance;
        this.router = instance.routes();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sandbox-" + instance.name());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        // every date a request reads or writes without offset is in the instance's server time zone
        server.createContext("/", exchange -> Dhis2Dates.inZone(instance.clock().getZone(), () -> {
            try {
                serve(exchange);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    /** Starts serving the instance on a free loopback port. */
    public static SandboxServer start(Dhis2Instance instance) throws IOException {
        return start(instance, 0);
    }

    public static SandboxServer start(Dhis2Instance instance, int port) throws IOException {
        SandboxServer s = new SandboxServer(instance, port);
        s.server.start();
        LOG.info("Sandbox DHIS2 '{}' ({}) listening on {}", instance.name(), instance.version(), s.url());
        return s;
    }

    public Dhis2Instance instance() {
        return instance;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123} (API paths start with /api). */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        stopping = true;
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        LinkLine line = instance.linkLine();
        Link link = line.link();
        line.started();
        try {
            exchange.setStreams(line.upstream(exchange.getRequestBody()),
                    line.downstream(exchange.getResponseBody(), () -> LinkBytes.responseHead(exchange)));
            line.receivedHead(LinkBytes.requestHead(exchange));
            Duration roundTrip = line.roundTrip(link);
            sleep(roundTrip.dividedBy(2)); // the request's way to the server
            InputStream body = exchange.getRequestBody();
            if (link.proxied()) {
                byte[] buffered = LinkProxy.buffer(exchange, link.bodyLimit());
                if (buffered == null) {
                    sleep(roundTrip.dividedBy(2));
                    LinkProxy.refuseTooLarge(exchange); // nginx refuses it: the instance never sees the request
                    return;
                }
                body = new ByteArrayInputStream(buffered);
            }
            serve(exchange, body, link, roundTrip.dividedBy(2));
        } finally {
            line.finished();
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange, InputStream rawBody, Link link, Duration answerDelay)
            throws IOException {
        long number = instance.nextRequestNumber();
        long received = System.nanoTime();
        String method = exchange.getRequestMethod().toUpperCase();
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Integer apiVersion = null;
        String path = java.net.URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        Matcher versioned = VERSIONED.matcher(path);
        if (versioned.matches()) {
            apiVersion = Integer.parseInt(versioned.group(1));
            path = "/api" + (versioned.group(2) == null ? "" : versioned.group(2));
        }
        if (path.endsWith(".json")) {
            path = path.substring(0, path.length() - ".json".length());
        }
        Fault fault = instance.faults().faultFor(method, path).orElse(null);
        InputStream body = rawBody;
        byte[] recorded = null;
        boolean overLimit = false;
        if (fault != null && fault.kind() == Fault.Kind.BODY_LIMIT) {
            byte[] all = body.readAllBytes();
            overLimit = all.length > fault.bytes();
            body = new ByteArrayInputStream(all);
            if (instance.requests().recordBodies()) {
                recorded = all;
            }
        } else if (instance.requests().recordBodies() && ("POST".equals(method) || "PUT".equals(method))) {
            recorded = body.readAllBytes();
            body = new ByteArrayInputStream(recorded);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.isEmpty() ? null : v.get(0)));
        SandboxRequest request = new SandboxRequest(method, path, apiVersion, rawQuery, headers, body, number);

        byte[] recordedBody = recorded;
        String loggedPath = path;
        // logged when the answer starts: a client that has read the answer always finds its request in the log
        SandboxResponse response = new SandboxResponse(exchange, fault,
                status -> log(number, method, loggedPath, rawQuery, status, recordedBody, received,
                        request.header(REQUEST_ID).orElse(null)));
        response.beforeWire(() -> sleep(answerDelay));
        response.gzipOnTheWay(contentType -> LinkProxy.gzips(link, request, contentType));
        boolean tooLarge = overLimit;
        Runnable handling = () -> handle(request, response, fault, tooLarge, recordedBody, received, rawQuery);
        if (link.proxyTimeout().isZero()) {
            handling.run();
        } else {
            LinkProxy.handleWithTimeout(workers, exchange, handling, response, link.proxyTimeout(),
                    () -> sleep(answerDelay));
        }
    }

    private void handle(SandboxRequest request, SandboxResponse response, Fault fault, boolean overLimit,
                        byte[] recorded, long received, String rawQuery) {
        long number = request.requestNumber();
        String method = request.method();
        String path = request.path();
        try {
            sleep(instance.faults().latency());
            if (fault != null && fault.kind() == Fault.Kind.LATENCY) {
                sleep(fault.duration());
            }
            if (fault != null && fault.kind() == Fault.Kind.HANG) {
                sleep(fault.duration().isZero() ? Duration.ofMinutes(10) : fault.duration());
                throw new SandboxResponse.ConnectionDropped();
            }
            if (fault != null && fault.kind() == Fault.Kind.BEFORE_HANDLING) {
                fault.change().run();
            }
            if (fault != null && (fault.kind() == Fault.Kind.STATUS || overLimit)) {
                answerFaultStatus(response, fault);
            } else if (authenticate(request, response)) {
                dispatch(request, response);
                if (fault != null && fault.kind() == Fault.Kind.CHANGE_AFTER_ANSWER) {
                    fault.change().run();
                }
            }
        } catch (Dhis2Exception e) {
            if (!response.committed()) {
                response.json(e.status(), WebMessages.error(e.status(), e.getMessage(), e.errorCode()));
            }
        } catch (SandboxResponse.ConnectionDropped e) {
            if (!response.committed()) {
                log(number, method, path, rawQuery, 0, recorded, received, request.header(REQUEST_ID).orElse(null));
            }
            throw e; // the JDK server closes the connection without finishing the answer
        } catch (IOException e) {
            throw new SandboxResponse.ConnectionDropped();
        } catch (RuntimeException e) {
            LOG.warn("Sandbox '{}' failed on {} {}", instance.name(), method, path, e);
            if (!response.committed()) {
                response.json(500, WebMessages.error(500, String.valueOf(e.getMessage()), null));
            }
        }
    }

    private void log(long number, String method, String path, String query, int status, byte[] body,
                     long received, String requestId) {
        instance.requests().add(new RequestLog.Entry(number, method, path, query == null ? "" : query, status, body,
                received, System.nanoTime(), requestId));
    }

    /** Logged with each request (RequestLog.Entry#requestId), as a proxy in front of DHIS2 would log it. */
    private static final String REQUEST_ID = "X-Request-ID";

    private void dispatch(SandboxRequest request, SandboxResponse response) throws IOException {
        var match = router.find(request.method(), request.path(), instance.version());
        if (match.isEmpty()) {
            if (router.existsForOtherMethod(request.method(), request.path(), instance.version())) {
                throw new Dhis2Exception(405, "Method Not Allowed",
                        "Request method '" + request.method() + "' not supported");
            }
            throw Dhis2Exception.notFound("No endpoint " + request.method() + " " + request.path()
                    + " in DHIS2 " + instance.version());
        }
        request.setPathVariables(match.get().variables());
        match.get().handler().handle(request, response);
        if (!response.committed()) {
            response.empty(200);
        }
    }

    /**
     * DHIS2 (every /api path but /api/ping needs authentication): no Authorization header → 302 to the login page,
     * or 401 for an XMLHttpRequest; bad Basic → 401 "Unauthorized"; unknown ApiToken → 401.
     */
    private boolean authenticate(SandboxRequest request, SandboxResponse response) {
        String auth = request.header("Authorization").orElse(null);
        if (auth == null || auth.isBlank()) {
            if ("XMLHttpRequest".equals(request.header("X-Requested-With").orElse(null))) {
                response.json(401, WebMessages.error(401, "Unauthorized", null));
            } else {
                response.redirect(url() + (instance.version().atLeast(41) ? LOGIN_APP : LOGIN_PAGE));
            }
            return false;
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            if (decoded.equals(instance.username() + ":" + instance.password())) {
                return true;
            }
            response.json(401, WebMessages.error(401, "Unauthorized", null));
            return false;
        }
        if (auth.regionMatches(true, 0, "ApiToken ", 0, 9)) {
            if (instance.isValidApiToken(auth.substring(9).trim())) {
                return true;
            }
            response.json(401, WebMessages.error(401, "The API token does not exists", null));
            return false;
        }
        response.json(401, WebMessages.error(401, "Unauthorized", null));
        return false;
    }

    private static void answerFaultStatus(SandboxResponse response, Fault fault) {
        int status = fault.status();
        if (fault.retryAfter() != null) {
            response.header("Retry-After", fault.retryAfter());
        } else if (status == 429) {
            response.header("Retry-After", "1");
        }
        if (status >= 500) {
            response.json(status, WebMessages.error(status, "Sandbox fault: " + WebMessages.reasonPhrase(status), null));
        } else {
            response.json(status, WebMessages.error(status, WebMessages.reasonPhrase(status), null));
        }
    }

    private void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        long until = System.nanoTime() + duration.toNanos();
        try {
            while (!stopping && System.nanoTime() < until) {
                Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxResponse.ConnectionDropped();
        }
    }
}
