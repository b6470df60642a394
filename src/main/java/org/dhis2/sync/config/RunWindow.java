package org.dhis2.sync.config;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * When a job may run ({@code sync.jobs.<TYPE>.window}, e.g. {@code 22:00-06:00}; times {@code HH:mm} or
 * {@code HH:mm:ss}, in {@code sync.jobs.<TYPE>.windowZone}, default the engine's time zone). A window whose end is
 * before its start runs over midnight. The start is inside, the end is not.
 */
public record RunWindow(LocalTime start, LocalTime end, ZoneId zone) {

    /** Parses "start-end"; throws IllegalArgumentException with a message for the configuration error. */
    public static RunWindow parse(String value, String zone) {
        String[] parts = value.trim().split("\\s*-\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + value + "' is not a window 'HH:mm-HH:mm' (e.g. 22:00-06:00)");
        }
        LocalTime start;
        LocalTime end;
        try {
            start = LocalTime.parse(parts[0]);
            end = LocalTime.parse(parts[1]);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a window 'HH:mm-HH:mm' (e.g. 22:00-06:00): "
                    + e.getParsedString() + " is not a time of day");
        }
        if (start.equals(end)) {
            throw new IllegalArgumentException("'" + value + "' starts and ends at the same time; leave the window "
                    + "empty for no window");
        }
        ZoneId z;
        try {
            z = zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + zone + "' is not a time zone (e.g. Africa/Kampala, UTC, +03:00)");
        }
        return new RunWindow(start, end, z);
    }

    public boolean contains(Instant at) {
        LocalTime t = at.atZone(zone).toLocalTime();
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    /** The next start of the window after {@code at}. */
    public Instant nextStart(Instant at) {
        return next(at, start);
    }

    /** The next end of the window after {@code at}. */
    public Instant nextEnd(Instant at) {
        return next(at, end);
    }

    private Instant next(Instant at, LocalTime time) {
        ZonedDateTime now = at.atZone(zone);
        ZonedDateTime next = now.with(time);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return next.toInstant();
    }

    @Override
    public String toString() {
        return start + "-" + end + " " + zone;
    }
}
