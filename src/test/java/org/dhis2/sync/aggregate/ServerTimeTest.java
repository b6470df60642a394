package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerTimeTest {

    /** The formatter reading the hand-written reader replaces on the hot path: both must agree. */
    private static long reference(String text) {
        return ServerTime.parseWithFormatter(text);
    }

    @Test
    void handReaderAgreesWithTheFormatterOnEveryShapeDhis2Writes() {
        List<String> shapes = List.of("2024-01-02T10:00:00.000+0000", "2024-01-02T10:00:00.123+0530",
                "2024-01-02T10:00:00.123-0330", "2024-02-29T23:59:59.999+00:00", "2023-12-31T23:59:59.5-01:00",
                "1999-07-04T00:00:00Z", "2024-01-02T10:00:00", "2024-01-02T10:00:00.1", "2024-01-02T10:00:00.123456789",
                "2024-01-02T10:00:00.987654+0100", "1970-01-01T00:00:00.000+0000", "1969-12-31T23:59:59.999Z");
        for (String s : shapes) {
            assertThat(ServerTime.parseIsoMillis(s)).as(s).isEqualTo(reference(s))
                    .isEqualTo(ServerTime.parseDataValueTimestamp(s));
        }
    }

    @Test
    void anythingElseIsLeftToTheFormatterAndReadAsBefore() {
        for (String odd : List.of("2024-1-02T10:00:00", "2024-01-02 10:00:00", "x")) {
            assertThat(ServerTime.parseIsoMillis(odd)).as(odd).isEqualTo(Long.MIN_VALUE);
            assertThatThrownBy(() -> ServerTime.parseDataValueTimestamp(odd)).as(odd)
                    .isInstanceOf(DateTimeParseException.class);
        }
        // shapes the formatter reads leniently (impossible dates, short offsets) keep the formatter's reading
        for (String lenient : List.of("2024-02-30T10:00:00.000+0000", "2024-01-02T24:00:00",
                "2024-01-02T10:00:00.+0000", "2024-01-02T10:00:00.000+00")) {
            assertThat(ServerTime.parseIsoMillis(lenient)).as(lenient).isEqualTo(Long.MIN_VALUE);
            assertThat(outcome(() -> ServerTime.parseDataValueTimestamp(lenient))).as(lenient)
                    .isEqualTo(outcome(() -> reference(lenient)));
        }
    }

    private static String outcome(java.util.function.LongSupplier read) {
        try {
            return String.valueOf(read.getAsLong());
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }
}
