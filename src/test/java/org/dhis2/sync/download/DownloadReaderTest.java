package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;
import org.dhis2.sync.config.DownloadSettings;
import org.junit.jupiter.api.Test;

/** The keyset cursor of the download (DownloadReader.advance), which the job tests reach only through a few pages. */
class DownloadReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-01T10:00:00Z");
    private final DownloadReader reader = new DownloadReader(new DownloadSettings(3, 100, List.of(), null));

    private static DownloadPass.Cursor cursor() {
        return new DownloadPass.Cursor(new DownloadPass.Program("prA", "OPEN"), null, START, 3);
    }

    /** Tracked entities as central's export lists them: uid → updatedAt. */
    private static ArrayNode page(String... uidsAndTimes) {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < uidsAndTimes.length; i += 2) {
            items.addObject().put("trackedEntity", uidsAndTimes[i]).put("updatedAt", uidsAndTimes[i + 1]);
        }
        return items;
    }

    @Test
    void theNextCallStartsAtTheNewestTimeReadSkippingWhatWasReadAtIt() {
        DownloadPass.Cursor c = cursor();
        c.skip = 1;
        reader.advance(c, page("te1", "2026-11-01T10:00:01", "te2", "2026-11-01T10:00:02", "te3",
                "2026-11-01T10:00:02"), false);
        assertThat(c.done).isFalse();
        assertThat(c.at).isEqualTo(Instant.parse("2026-11-01T10:00:02Z"));
        assertThat(c.seenAtCursor).containsExactlyInAnyOrder("te2", "te3");
        assertThat(c.skip).as("a page passed over is behind the new cursor").isZero();
        assertThat(c.requestSize).isEqualTo(3);
    }

    @Test
    void aWholePageAtTheCursorsTimeAsksForMoreAtOnceInsteadOfMovingOn() {
        DownloadPass.Cursor c = cursor();
        c.at = Instant.parse("2026-11-01T10:00:05Z");
        reader.advance(c, page("te1", "2026-11-01T10:00:05", "te2", "2026-11-01T10:00:05", "te3",
                "2026-11-01T10:00:05"), false);
        assertThat(c.done).isFalse();
        assertThat(c.at).isEqualTo(Instant.parse("2026-11-01T10:00:05Z"));
        assertThat(c.requestSize).isEqualTo(6);
        reader.advance(c, page("te4", "2026-11-01T10:00:07"), false);
        assertThat(c.requestSize).as("back to the page size once the cursor moves").isEqualTo(3);
        assertThat(c.seenAtCursor).containsExactly("te4");
    }

    @Test
    void aShortPageEndsTheProgramOnlyWhenItBringsNothingNew() {
        DownloadPass.Cursor c = cursor();
        reader.advance(c, page("te1", "2026-11-01T10:00:01"), false);
        assertThat(c.done).as("DHIS2 2.42 pages come short after ownership drops objects").isFalse();
        reader.advance(c, page("te1", "2026-11-01T10:00:01"), true);
        assertThat(c.done).isTrue();
        DownloadPass.Cursor empty = cursor();
        reader.advance(empty, JSON.createArrayNode(), false);
        assertThat(empty.done).isTrue();
        assertThat(empty.at).isEqualTo(START);
    }
}
