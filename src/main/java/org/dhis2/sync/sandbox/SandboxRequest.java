package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as a handler sees it: the path without an API version ({@code /api/40/x} becomes {@code /api/x},
 * {@link #apiVersion()} keeps the 40), query parameters (repeatable), path variables and a body stream.
 */
public final class SandboxRequest {

    private final String method;
    private final String path;
    private final Integer apiVersion;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private final InputStream body;
    private final long requestNumber;
    private Map<String, String> pathVariables = Map.of();

    public SandboxRequest(String method, String path, Integer apiVersion, String rawQuery,
                          Map<String, String> headers, InputStream body, long requestNumber) {
        this.method = method;
        this.path = path;
        this.apiVersion = apiVersion;
        this.query = parseQuery(rawQuery);
        this.headers = headers;
        this.body = body;
        this.requestNumber = requestNumber;
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The number in a versioned path ({@code /api/37/...}), or null for the unversioned API. */
    public Integer apiVersion() {
        return apiVersion;
    }

    /** 1-based number of this request among all requests the instance received. */
    public long requestNumber() {
        return requestNumber;
    }

    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String param(String name, String defaultValue) {
        return param(name).orElse(defaultValue);
    }

    /** All values of a repeatable parameter; DHIS2 also accepts {@code a;b} and {@code a,b} lists in one value. */
    public List<String> params(String name) {
        List<String> values = new ArrayList<>();
        for (String v : query.getOrDefault(name, List.of())) {
            for (String part : v.split("[;,]")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
        }
        return values;
    }

    public boolean flag(String name, boolean defaultValue) {
        return param(name).map(v -> v.isEmpty() || Boolean.parseBoolean(v)).orElse(defaultValue);
    }

    public int intParam(String name, int defaultValue) {
        return param(name).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new Dhis2Exception(400, "Bad Request", "Value '" + v + "' is not valid for parameter " + name);
            }
        }).orElse(defaultValue);
    }

    public Map<String, List<String>> query() {
        return query;
    }

    /** Header value by case-insensitive name. */
    public Optional<String> header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.ofNullable(e.getValue());
            }
        }
        return Optional.empty();
    }

    public String pathVariable(String name) {
        return pathVariables.get(name);
    }

    void setPathVariables(Map<String, String> variables) {
        this.pathVariables = variables;
    }

    /**
     * The body as a stream, transparently gunzipped when it starts with the gzip magic bytes (DHIS2 sniffs the
     * bytes and ignores Content-Encoding on dataValueSets, completeDataSetRegistrations, metadata, old tracker).
     */
    public InputStream bodyStream() throws IOException {
        return CompressionSniffer.unwrap(body);
    }

    /** The raw body stream, without gzip sniffing (as {@code /api/tracker} JSON reads it). */
    public InputStream rawBodyStream() {
        return body;
    }

    /** Parses the (possibly gzipped) body as JSON; a syntax error becomes DHIS2's 400. */
    public JsonNode bodyJson() {
        try (InputStream in = bodyStream()) {
            JsonNode node = SandboxJson.MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new Dhis2Exception(400, "Bad Request", "Request body is empty");
            }
            return node;
        } catch (IOException e) {
            throw new Dhis2Exception(400, "Bad Request", "JSON parse error: " + e.getMessage());
        }
    }
}
