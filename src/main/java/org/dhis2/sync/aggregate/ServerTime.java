package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * The local DHIS2 server's clock: {@code /api/system/info} gives {@code serverDate} in the server's time zone
 * ({@code serverTimeZoneId}). Every window bound is on this clock, never the engine's.
 */
public final class ServerTime {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter DATA_VALUE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter QUERY = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    /** The server's "now" and time zone. */
    public record Now(Instant instant, ZoneId zone) {
        /** An instant as a query parameter in the server's own time zone, with milliseconds. */
        public String format(Instant at) {
            return QUERY.format(at.atZone(zone).toLocalDateTime());
        }
    }

    private ServerTime() {
    }

    /** Reads {@code serverDate} / {@code serverTimeZoneId} of a {@code /api/system/info} answer. */
    public static Now fromSystemInfo(String body) {
        try {
            JsonNode info = JSON.readTree(body);
            String date = info.path("serverDate").asText("");
            if (date.isEmpty()) {
                throw new IllegalStateException("the local DHIS2's /api/system/info has no serverDate");
            }
            ZoneId zone;
            try {
                zone = ZoneId.of(info.path("serverTimeZoneId").asText("UTC"));
            } catch (Exception e) {
                zone = ZoneOffset.UTC;
            }
            var parsed = DATA_VALUE.parseBest(date, OffsetDateTime::from, LocalDateTime::from);
            Instant instant = parsed instanceof OffsetDateTime odt ? odt.toInstant()
                    : ((LocalDateTime) parsed).atZone(zone).toInstant();
            return new Now(instant, zone);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the local DHIS2's server time: " + e.getMessage(), e);
        }
    }

    /** A data value export timestamp ({@code 2024-01-02T10:00:00.000+0000}; UTC when no offset) as epoch ms. */
    public static long parseDataValueTimestamp(String text) {
        var parsed = DATA_VALUE.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime odt ? odt.toInstant().toEpochMilli()
                : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    static LocalDateTime parseLocal(String text) {
        return LocalDateTime.parse(text, LOCAL);
    }
}
