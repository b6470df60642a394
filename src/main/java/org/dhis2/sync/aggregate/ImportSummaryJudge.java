package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges central's answer to an aggregate import as DHIS2's own sync client does (ImportSummaryResponseExtractor):
 * a body with {@code httpStatus} and {@code response} is a WebMessage (2.38+) whose {@code response} is the
 * ImportSummary; otherwise the body is the plain summary (pre-2.38). WARNING comes with HTTP 409 on 2.38–2.42 and
 * 200 on 2.43+; both are judged from the body. Anything else (no summary, not JSON, other 4xx) is unreadable.
 */
public final class ImportSummaryJudge {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImportSummaryJudge() {
    }

    public static ImportJudgement judge(int httpStatus, String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (Exception e) {
            return ImportJudgement.unreadable("HTTP " + httpStatus + ": answer is not valid JSON ("
                    + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            return ImportJudgement.unreadable("HTTP " + httpStatus + ": empty or non-object answer");
        }
        JsonNode summary = root.has("httpStatus") && root.has("response") ? root.path("response") : root;
        String status = summary.path("status").asText("");
        if (!status.equals("SUCCESS") && !status.equals("WARNING") && !status.equals("ERROR")) {
            String message = root.path("message").asText(root.path("description").asText(""));
            return ImportJudgement.unreadable("HTTP " + httpStatus + ": no import summary in the answer"
                    + (message.isEmpty() ? "" : " (" + message + ")"));
        }
        if (httpStatus >= 400 && httpStatus != 409) {
            return ImportJudgement.unreadable("HTTP " + httpStatus + ": " + root.path("message").asText(status));
        }
        JsonNode count = summary.path("importCount");
        List<ImportJudgement.Conflict> conflicts = new ArrayList<>();
        for (JsonNode c : summary.path("conflicts")) {
            List<Integer> indexes = new ArrayList<>();
            c.path("indexes").forEach(i -> indexes.add(i.asInt()));
            conflicts.add(new ImportJudgement.Conflict(c.path("object").asText(null), c.path("value").asText(null),
                    c.path("errorCode").asText(null), c.path("property").asText(null), List.copyOf(indexes)));
        }
        // rejectedIndexes without per-conflict indexes (older 2.39/2.40 patches): keep them on a synthetic entry
        if (conflicts.stream().allMatch(c -> c.indexes().isEmpty()) && summary.path("rejectedIndexes").size() > 0
                && conflicts.size() == 1) {
            List<Integer> rejected = new ArrayList<>();
            summary.path("rejectedIndexes").forEach(i -> rejected.add(i.asInt()));
            ImportJudgement.Conflict only = conflicts.get(0);
            conflicts.set(0, new ImportJudgement.Conflict(only.object(), only.value(), only.errorCode(),
                    only.property(), List.copyOf(rejected)));
        }
        return new ImportJudgement(status, summary.path("description").asText(""), count.path("imported").asInt(),
                count.path("updated").asInt(), count.path("ignored").asInt(), count.path("deleted").asInt(),
                List.copyOf(conflicts));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
