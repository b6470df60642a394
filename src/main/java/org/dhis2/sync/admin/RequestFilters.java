package org.dhis2.sync.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * The request ledger's list filters as the SQL of admin-requests-*.sql binds them (each twice or thrice: a null
 * means "any"), checked from the request's strings; a bad one is a 400 naming it.
 */
final class RequestFilters {

    private RequestFilters() {
    }

    /** run, run, status low ×2, status high, no answer ×2, since ×2. */
    static Object[] of(String run, String status, String since) {
        String r = run(run);
        Integer low = null;
        Integer high = null;
        Boolean noAnswer = null;
        if (status != null && !status.isBlank()) {
            String s = status.strip().toLowerCase(java.util.Locale.ROOT);
            if (s.equals("none")) {
                noAnswer = true;
            } else if (s.matches("[1-5]xx")) {
                low = (s.charAt(0) - '0') * 100;
                high = low + 99;
            } else if (s.matches("[1-5][0-9][0-9]")) {
                low = Integer.parseInt(s);
                high = low;
            } else {
                throw AdminApiException.badParameter("status", "must be an HTTP status (503), a class (5xx) or none");
            }
        }
        OffsetDateTime from = since(since);
        return new Object[] {r, r, low, low, high, noAnswer, noAnswer, from, from};
    }

    static String run(String run) {
        if (run == null || run.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(run.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw AdminApiException.badParameter("run", "must be a job run id (jobId, a UUID)");
        }
    }

    private static OffsetDateTime since(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        String s = since.strip();
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC)
                    : s.matches(".*(Z|[+-]\\d\\d:?\\d\\d)$") ? OffsetDateTime.parse(s)
                    : Instant.parse(s + "Z").atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw AdminApiException.badParameter("since", "must be an ISO-8601 time (2024-05-01T10:00:00Z) or date");
        }
    }
}
