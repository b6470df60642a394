package org.dhis2.sync.engine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tests read the engine's /observe endpoints over HTTP, as an operator's tools do. */
public final class ManagementEndpoints {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ManagementEndpoints() {
    }

    public static HttpResponse<String> get(Engine engine, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.settings().managementPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The value of one sample of the Prometheus text at /observe/metrics, e.g.
     * {@code metric(text, "dhis2sync_objects_sent_total", "stage", "dataValues")}; null when absent. The given labels
     * must all match (others may be present).
     */
    public static Double metric(String prometheusText, String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        for (String line : prometheusText.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                have.put(l.group(1), l.group(2));
            }
            if (have.entrySet().containsAll(wanted.entrySet())) {
                return Double.valueOf(m.group(4));
            }
        }
        return null;
    }
}
