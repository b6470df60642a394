package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadQueryTest {

    private static String decoded(String q) {
        return URLDecoder.decode(q, StandardCharsets.UTF_8);
    }

    @Test
    void theCaptureScopeAndUidListsAreNamedAsEachVersionNamesThem() {
        assertThat(DownloadQuery.captureScope(40)).isEqualTo("ouMode=CAPTURE");
        assertThat(DownloadQuery.captureScope(41)).isEqualTo("orgUnitMode=CAPTURE");
        assertThat(DownloadQuery.localByUid(40, List.of("a", "b"))).startsWith("ouMode=ACCESSIBLE&trackedEntity=a;b&");
        assertThat(DownloadQuery.localByUid(41, List.of("a", "b"))).startsWith("trackedEntities=a,b&")
                .contains("includeDeleted=true", "pageSize=2");
        assertThat(decoded(DownloadQuery.override(40, "T", "P", "a reason"))).isEqualTo(
                "trackedEntityInstance=T&program=P&reason=a reason");
        assertThat(decoded(DownloadQuery.override(42, "T", "P", "r"))).startsWith("trackedEntity=T&");
    }

    @Test
    void aPageAsksForTheWindowOldestChangeFirstAndSkipsPagesThatFailed() {
        DownloadPass.Cursor c = new DownloadPass.Cursor(new DownloadPass.Program("P", "OPEN"), null,
                Instant.parse("2026-12-01T10:00:00Z"), 50);
        c.skip = 1;
        String q = decoded(DownloadQuery.page(c, Instant.parse("2026-12-01T12:00:00.250Z"), 42));
        assertThat(q).contains("orgUnitMode=CAPTURE", "program=P", "updatedAfter=2026-12-01T10:00:00.000",
                "updatedBefore=2026-12-01T12:00:00.250", "order=updatedAt:asc", "page=2", "pageSize=50");
    }

    @Test
    void theWatermarkNeverPassesAHoldAndNeverGoesBack() {
        Instant upper = Instant.parse("2026-12-01T12:00:00Z");
        DownloadPass.Cursor c = new DownloadPass.Cursor(new DownloadPass.Program("P", "OPEN"),
                Instant.parse("2026-12-01T09:00:00Z"), null, 50);
        assertThat(c.nextWatermark(upper)).contains(upper);
        c.hold(Instant.parse("2026-12-01T11:00:00Z"));
        c.hold(Instant.parse("2026-12-01T11:30:00Z"));
        assertThat(c.nextWatermark(upper)).contains(Instant.parse("2026-12-01T11:00:00Z"));
        c.hold(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(c.nextWatermark(upper)).as("never backwards").isEmpty();
        DownloadPass.Cursor failedFirst = new DownloadPass.Cursor(new DownloadPass.Program("P", "OPEN"), null, null,
                50);
        failedFirst.hold(null);
        assertThat(failedFirst.nextWatermark(upper)).isEmpty();
    }
}
