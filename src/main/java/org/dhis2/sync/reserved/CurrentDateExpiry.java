package org.dhis2.sync.reserved;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a value made with a {@code CURRENT_DATE(format)} pattern stops being valid: the day its date part is no
 * longer today's. As the Android SDK (TrackedEntityAttributeReservedValueValidatorHelper): a format with {@code w}
 * → next Monday, else {@code M} → the 1st of the next month, else {@code Y} → 1 January of the next year, else
 * no such expiry. Stricter than the SDK where its rule keeps stale values: a day field ({@code d D E e}) → the
 * next day, and {@code y}/{@code u} (year, as DHIS2's SimpleDateFormat patterns write it) count like {@code Y}.
 */
public final class CurrentDateExpiry {

    private static final Pattern CURRENT_DATE = Pattern.compile("CURRENT_DATE\\((.*?)\\)");

    private CurrentDateExpiry() {
    }

    /** The first day on which a value made on {@code madeOn} is expired; empty when the pattern has no date. */
    public static Optional<LocalDate> firstInvalidDay(String pattern, LocalDate madeOn) {
        String fields = String.join("", formats(pattern));
        if (fields.matches(".*[dDEe].*")) {
            return Optional.of(madeOn.plusDays(1));
        }
        if (fields.contains("w")) {
            return Optional.of(madeOn.with(TemporalAdjusters.next(DayOfWeek.MONDAY)));
        }
        if (fields.matches(".*[ML].*")) {
            return Optional.of(madeOn.withDayOfMonth(1).plusMonths(1));
        }
        if (fields.matches(".*[Yyu].*")) {
            return Optional.of(LocalDate.of(madeOn.getYear() + 1, 1, 1));
        }
        return Optional.empty();
    }

    /** The formats of the pattern's CURRENT_DATE segments (text segments are not looked at). */
    static List<String> formats(String pattern) {
        List<String> formats = new ArrayList<>();
        Matcher m = CURRENT_DATE.matcher(pattern == null ? "" : pattern.replaceAll("\"([^\"\\\\]|\\\\.)*\"", ""));
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                formats.add(m.group(1));
            }
        }
        return formats;
    }
}
