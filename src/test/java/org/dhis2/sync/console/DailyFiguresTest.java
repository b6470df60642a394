package org.dhis2.sync.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-stage daily figures from progress trees: stage counts summed per UTC day, items not counted twice. */
class DailyFiguresTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode run(long duration, String counts) throws Exception {
        return JSON.readTree("[{\"description\":\"Starting DataValueSynchronization job\",\"duration\":" + duration
                + ",\"stages\":[{\"summary\":\"window\"},{\"summary\":\"" + counts + "\",\"items\":[{\"summary\":\"OK: "
                + counts + "\"}]}]}]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void figuresAreSummedPerStageAndDay() throws Exception {
        DailyFigures f = new DailyFigures();
        f.add("DATA_SYNC", Instant.parse("2026-05-01T10:00:00Z"),
                run(1000, "imported 5, updated 2, deleted 1, ignored 0"));
        f.add("DATA_SYNC", Instant.parse("2026-05-01T23:59:00Z"),
                run(500, "imported 1, updated 0, deleted 0, ignored 3"));
        f.add("DATA_SYNC", Instant.parse("2026-05-02T00:01:00Z"), run(200, "nothing to send"));
        f.add("DATA_SYNC", Instant.parse("2026-05-02T00:02:00Z"), null);
        // a failed stage: no counts in its own summary, but in its pages
        f.add("DATA_SYNC", Instant.parse("2026-05-02T00:03:00Z"), JSON.readTree("[{\"description\":"
                + "\"Starting DataValueSynchronization job\",\"duration\":100,\"stages\":[{\"summary\":\"failed\","
                + "\"items\":[{\"summary\":\"OK: imported 2, updated 0, deleted 0, ignored 0\"},"
                + "{\"summary\":\"ERROR: imported 1, updated 0, deleted 0, ignored 4; 4 rejected\"}]}]}]"));
        List<Map<String, Object>> stages = f.stages();
        assertThat(stages).hasSize(1);
        assertThat(stages.get(0).get("stage")).isEqualTo("DATA_SYNC: Starting DataValueSynchronization job");
        List<Map<String, Object>> days = (List<Map<String, Object>>) stages.get(0).get("days");
        assertThat(days).containsExactly(
                Map.of("day", "2026-05-01", "runs", 2L, "objectsSent", 12L, "durationMillis", 1500L),
                Map.of("day", "2026-05-02", "runs", 2L, "objectsSent", 7L, "durationMillis", 300L));
    }
}
