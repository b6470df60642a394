package org.dhis2.sync.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-stage daily figures summed from finished runs' progress trees: a stage is one process of a run (its
 * description, e.g. "Starting DataValueSynchronization job"); per UTC day the runs, the objects sent (the counts
 * central reported for each page: imported + updated + deleted + ignored) and the milliseconds it took.
 */
final class DailyFigures {

    private static final Pattern COUNTS = Pattern.compile(
            "imported (\\d+), updated (\\d+), deleted (\\d+), ignored (\\d+)");

    /** stage key → day → figures */
    private final Map<String, Map<LocalDate, long[]>> byStage = new TreeMap<>();

    void add(String jobType, Instant started, JsonNode progress) {
        if (progress == null || !progress.isArray()) {
            return;
        }
        LocalDate day = started.atZone(ZoneOffset.UTC).toLocalDate();
        for (JsonNode process : progress) {
            String stage = jobType + ": " + process.path("description").asText("?");
            long[] f = byStage.computeIfAbsent(stage, k -> new TreeMap<>()).computeIfAbsent(day, d -> new long[3]);
            f[0]++;
            f[1] += sent(process);
            f[2] += process.path("duration").asLong(0);
        }
    }

    /**
     * The objects central counted in a process: per stage the pages' (items') counts, or the stage's own summary when
     * no page has counts (never both, the stage summary sums its pages). A failed stage has counts only in its pages.
     */
    static long sent(JsonNode process) {
        long n = 0;
        for (JsonNode stage : process.path("stages")) {
            long items = 0;
            boolean counted = false;
            for (JsonNode item : stage.path("items")) {
                long c = counts(item.path("summary").asText(""));
                counted |= c >= 0;
                items += Math.max(c, 0);
            }
            n += counted ? items : Math.max(counts(stage.path("summary").asText("")), 0);
        }
        return n;
    }

    /** imported + updated + deleted + ignored of a summary, or -1 when it has no counts. */
    private static long counts(String summary) {
        Matcher m = COUNTS.matcher(summary);
        if (!m.find()) {
            return -1;
        }
        long n = 0;
        for (int g = 1; g <= 4; g++) {
            n += Long.parseLong(m.group(g));
        }
        return n;
    }

    List<Map<String, Object>> stages() {
        List<Map<String, Object>> out = new ArrayList<>();
        byStage.forEach((stage, days) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            days.forEach((day, f) -> rows.add(Map.of("day", day.toString(), "runs", f[0], "objectsSent", f[1],
                    "durationMillis", f[2])));
            out.add(Map.of("stage", stage, "days", rows));
        });
        return out;
    }
}
