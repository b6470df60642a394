package org.dhis2.sync.sandbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * DHIS2's date formats: data value exports use {@code 2024-01-02T10:00:00.000+0000} (always GMT), tracker and
 * {@code /api/system/info} {@code 2024-01-02T10:00:00.000} in the server's own time zone (the JVM's default
 * zone of the DHIS2 server, which it reports as {@code serverTimeZoneId}). A date-time parameter without offset is
 * read in that zone too. The zone is the one of the instance whose request is being served
 * ({@link #inZone}); outside a request (generators, tests) it is UTC.
 */
public final class Dhis2Dates {

    private static final DateTimeFormatter DATA_VALUE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final DateTimeFormatter TRACKER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final ThreadLocal<ZoneId> ZONE = ThreadLocal.withInitial(() -> ZoneOffset.UTC);

    private static final DateTimeFormatter LENIENT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalEnd()
            .toFormatter();

    private Dhis2Dates() {
    }

    /** Runs {@code work} (serving one request) with the server time zone of the instance that serves it. */
    static void inZone(ZoneId zone, Runnable work) {
        ZoneId before = ZONE.get();
        ZONE.set(zone);
        try {
            work.run();
        } finally {
            ZONE.set(before);
        }
    }

    /** The server time zone of the request being served (UTC outside a request). */
    public static ZoneId zone() {
        return ZONE.get();
    }

    /** Data value export timestamps are always GMT with offset, whatever the server's zone (toLongGmtDate). */
    public static String dataValue(Instant instant) {
        return DATA_VALUE.format(instant.atZone(ZoneOffset.UTC));
    }

    public static String tracker(Instant instant) {
        return TRACKER.format(instant.atZone(ZONE.get()));
    }

    /**
     * Parses what DHIS2 accepts as a date(-time) query parameter: a date, a local date-time (read in the server's
     * time zone) or a date-time with an offset.
     */
    public static Instant parse(String text) {
        try {
            var parsed = LENIENT.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (parsed instanceof OffsetDateTime odt) {
                return odt.toInstant();
            }
            if (parsed instanceof LocalDateTime ldt) {
                return ldt.atZone(ZONE.get()).toInstant();
            }
            return ((LocalDate) parsed).atStartOfDay(ZONE.get()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid date: " + text, e);
        }
    }
}
