package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DHIS2's WebMessage envelope and the status rules of WebMessageUtils per version
 * (shared/reference/dhis2-web-api.md §2.0).
 */
public final class WebMessages {

    private WebMessages() {
    }

    public static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }

    /** {@code {"httpStatus","httpStatusCode","status","message"}} in DHIS2's property order. */
    public static ObjectNode message(int httpStatus, String status, String message) {
        ObjectNode node = SandboxJson.object();
        node.put("httpStatus", reasonPhrase(httpStatus));
        node.put("httpStatusCode", httpStatus);
        node.put("status", status);
        if (message != null) {
            node.put("message", message);
        }
        return node;
    }

    public static ObjectNode error(int httpStatus, String message, String errorCode) {
        ObjectNode node = message(httpStatus, "ERROR", message);
        if (errorCode != null) {
            node.put("errorCode", errorCode);
        }
        return node;
    }

    /**
     * Answers an ImportSummary (dataValueSets, completeDataSetRegistrations) as the given version does:
     * plain with 200 before 2.38 (or for a {@code /api/37/} path before 2.42), else wrapped, with 409 for ERROR
     * and for WARNING in 2.38–2.42.
     */
    public static void importSummary(SandboxRequest request, SandboxResponse response, Dhis2Version version,
                                     ObjectNode summary) {
        summary.put("responseType", "ImportSummary");
        moveFirst(summary, "responseType");
        String status = summary.path("status").asText("SUCCESS");
        boolean plain = !version.wrapsImportSummaries()
                || (request.apiVersion() != null && request.apiVersion() < 38 && version.minor() < 42);
        if (plain) {
            response.json(200, summary);
            return;
        }
        int http;
        String wmStatus;
        String text;
        switch (status) {
            case "ERROR" -> {
                http = 409;
                wmStatus = "ERROR";
                text = "An error occurred, please check import summary.";
            }
            case "WARNING" -> {
                http = version.conflictOnImportWarning() ? 409 : 200;
                wmStatus = "WARNING";
                text = "One more conflicts encountered, please check import summary.";
            }
            default -> {
                http = 200;
                wmStatus = "OK";
                text = "Import was successful.";
            }
        }
        ObjectNode envelope = message(http, wmStatus, text);
        envelope.set("response", summary);
        response.json(http, envelope);
    }

    /** ImportSummaries (old /api/events, /api/trackedEntityInstances): always wrapped; 409 on ERROR or WARNING. */
    public static void importSummaries(SandboxResponse response, ObjectNode summaries) {
        summaries.put("responseType", "ImportSummaries");
        moveFirst(summaries, "responseType");
        String status = summaries.path("status").asText("SUCCESS");
        int http = "SUCCESS".equals(status) || "OK".equals(status) ? 200 : 409;
        String text = switch (status) {
            case "ERROR" -> "An error occurred, please check import summary.";
            case "WARNING" -> "One or more conflicts encountered, please check import summary.";
            default -> "Import was successful.";
        };
        ObjectNode envelope = message(http, http == 200 ? "OK" : status, text);
        envelope.set("response", summaries);
        response.json(http, envelope);
    }

    /** Metadata ImportReport: plain before 2.38; wrapped with 409 and WebMessage status WARNING when not OK. */
    public static void importReport(SandboxRequest request, SandboxResponse response, Dhis2Version version,
                                    ObjectNode report) {
        boolean plain = !version.wrapsImportSummaries()
                || (request.apiVersion() != null && request.apiVersion() < 38 && version.minor() < 42);
        if (plain) {
            response.json(200, report);
            return;
        }
        report.remove("importParams");
        report.put("responseType", "ImportReport");
        moveFirst(report, "responseType");
        boolean ok = "OK".equals(report.path("status").asText());
        ObjectNode envelope = ok ? message(200, "OK", null)
                : message(409, "WARNING", "One or more errors occurred, please see full details in import report.");
        envelope.set("response", report);
        response.json(ok ? 200 : 409, envelope);
    }

    private static void moveFirst(ObjectNode node, String field) {
        var value = node.remove(field);
        ObjectNode copy = node.deepCopy();
        node.removeAll();
        node.set(field, value);
        node.setAll(copy);
    }
}
