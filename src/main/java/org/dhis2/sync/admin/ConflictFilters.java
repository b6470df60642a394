package org.dhis2.sync.admin;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The conflict list's filters as admin-conflicts-*.sql binds them (a null means "any"): kind, error code, job (a job
 * type or a job id), and the time range of {@code created} (since inclusive; until inclusive of a whole date).
 */
final class ConflictFilters {

    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern JOB = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}");

    private ConflictFilters() {
    }

    /** kind, code ×2, job ×3, since ×2, until ×2. */
    static Object[] of(String kind, String errorCode, String job, String since, String until) {
        String k = ItemKinds.oneOf("kind", kind, ItemKinds.CONFLICTS);
        String code = text("errorCode", errorCode, ERROR_CODE);
        String j = text("job", job, JOB);
        OffsetDateTime from = time("since", since, false);
        OffsetDateTime to = time("until", until, true);
        return new Object[] {k, code, code, j, j, j, from, from, to, to};
    }

    private static String text(String name, String value, Pattern allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!allowed.matcher(value.strip()).matches()) {
            throw AdminApiException.badParameter(name, "is not a valid " + name);
        }
        return value.strip();
    }

    /** An ISO-8601 date or time; a date as an upper bound means up to the end of that day (UTC). */
    private static OffsetDateTime time(String name, String value, boolean upper) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.strip();
        try {
            if (s.length() == 10) {
                LocalDate d = LocalDate.parse(s);
                return (upper ? d.plusDays(1) : d).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            throw AdminApiException.badParameter(name, "must be an ISO-8601 date (2024-05-01) or time with offset");
        }
    }
}
