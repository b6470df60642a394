package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
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
        long fast = parseIsoMillis(text);
        return fast != Long.MIN_VALUE ? fast : parseWithFormatter(text);
    }

    /** The general reading, for the shapes {@link #parseIsoMillis} leaves alone. */
    static long parseWithFormatter(String text) {
        var parsed = DATA_VALUE.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime odt ? odt.toInstant().toEpochMilli()
                : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /**
     * The shape DHIS2 writes ({@code yyyy-MM-ddTHH:mm:ss[.fraction][+HHMM|+HH:MM|Z]}) read by hand, because the
     * formatter took half of the engine's time on a million values; Long.MIN_VALUE for anything else, which the
     * formatter then reads (or rejects).
     */
    static long parseIsoMillis(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        int millis = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return Long.MIN_VALUE;
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char sign = s.charAt(i);
            String rest = s.substring(i + 1);
            if (sign == 'Z' && rest.isEmpty()) {
                offsetSeconds = 0;
            } else if ((sign == '+' || sign == '-')
                    && (rest.length() == 4 || rest.length() == 5 && rest.charAt(2) == ':')) {
                int oh = digits(rest, 0, 2), om = digits(rest, rest.length() - 2, 2);
                if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                    return Long.MIN_VALUE;
                }
                offsetSeconds = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            } else {
                return Long.MIN_VALUE;
            }
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return (days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds) * 1000 + millis;
    }

    /** The non-negative number written with exactly {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static LocalDateTime parseLocal(String text) {
        return LocalDateTime.parse(text, LOCAL);
    }
}
