package org.dhis2.sync.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a metadata ImportReport: the one in the local instance's answer to {@code GET /api/metadata/sync} (see
 * {@link LocalSyncAnswer}), or a plain/wrapped {@code POST /api/metadata} answer. Accepted: OK, and WARNING only
 * for BEST_EFFORT — as DHIS2's MetadataSyncImportHandler decides whether to register the version.
 */
public final class ImportReportJudge {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The judgement: import status, accepted or not, per-type counts and the error reports. */
    public record Judgement(String status, boolean accepted, JsonNode report, List<String> typeCounts,
                            List<String> errors) {

        public String countsText() {
            return String.join("\n", typeCounts);
        }
    }

    private ImportReportJudge() {
    }

    public static Judgement judge(int httpStatus, String body, boolean atomic) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (Exception e) {
            root = MissingNode.getInstance();
        }
        JsonNode report = root.has("response") && root.has("httpStatus") ? root.path("response") : root;
        return judgeReport(httpStatus, root, report, atomic);
    }

    /** Judges an ImportReport node; {@code root} is the whole answer (its {@code message} explains a missing report). */
    public static Judgement judgeReport(int httpStatus, JsonNode root, JsonNode report, boolean atomic) {
        String status = report.path("status").asText("");
        if (status.isEmpty()) {
            String message = root.path("message").asText("");
            List<String> errors = List.of("HTTP " + httpStatus + (message.isEmpty() ? " without an import report"
                    : ": " + message));
            return new Judgement("ERROR", false, report, List.of(), errors);
        }
        boolean accepted = "OK".equals(status) || "SUCCESS".equals(status) || "WARNING".equals(status) && !atomic;
        List<String> counts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (JsonNode type : report.path("typeReports")) {
            String klass = type.path("klass").asText("?");
            String simple = klass.substring(klass.lastIndexOf('.') + 1);
            JsonNode s = type.path("stats");
            counts.add(simple + ": created " + s.path("created").asInt() + ", updated " + s.path("updated").asInt()
                    + ", ignored " + s.path("ignored").asInt());
            for (JsonNode object : type.path("objectReports")) {
                for (JsonNode error : object.path("errorReports")) {
                    errors.add(error.path("errorCode").asText("") + " " + error.path("message").asText(""));
                }
            }
        }
        return new Judgement(status, accepted, report, counts, errors);
    }
}
