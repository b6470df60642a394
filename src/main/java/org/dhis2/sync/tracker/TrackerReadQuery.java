package org.dhis2.sync.tracker;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read window and the export query of a tracker stage: where the window starts, and the query of one page of
 * {@code /api/tracker/events} or {@code /api/tracker/trackedEntities} with the org unit scope the local version
 * needs.
 *
 * <p>Scope: every export asks for the user's accessible org units ({@code ACCESSIBLE}: the data view org units and
 * their descendants, falling back to the data capture ones), which is what DHIS2 2.41+ uses when no scope is
 * given. 2.39 and 2.40 answer 409 "At least one organisation unit must be specified" to a tracked entity query
 * without org unit or mode, and know the parameter as {@code ouMode}; 2.41 reads {@code ouMode} and
 * {@code orgUnitMode} (400 when both are given), 2.42 only {@code orgUnitMode}. The mode filters on the org unit
 * of the tracked entity / event (ownership for protected programs aside), deleted objects included with
 * includeDeleted.
 */
public final class TrackerReadQuery {

    private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final Pattern MINOR = Pattern.compile("^\\s*2\\.(\\d+)");

    private TrackerReadQuery() {
    }

    /**
     * Where a window starts: {@code overlap} before the watermark (the previous window's end, or its oldest
     * unsettled object), never before {@code skipChangedBefore}; null = from the beginning. The overlap catches
     * writes that became visible after their timestamp (DHIS2 stamps tracker objects before it commits them);
     * what was already settled in the overlap is not sent again (per-object bookkeeping).
     */
    static Instant windowStart(Instant watermark, Duration overlap, Instant skipChangedBefore) {
        Instant lower = watermark == null ? null : watermark.minus(overlap);
        if (skipChangedBefore != null && (lower == null || lower.isBefore(skipChangedBefore))) {
            lower = skipChangedBefore;
        }
        return lower;
    }

    /** The minor version of a DHIS2 version string ({@code 2.41.8.2} gives 41), or -1 when it is not one. */
    public static int minorVersion(String version) {
        Matcher m = MINOR.matcher(version == null ? "" : version);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The org unit scope parameter for a local DHIS2 of this minor version (unknown: the name every version reads up to 2.41). */
    static String scope(int minor) {
        return (minor >= 41 ? "orgUnitMode" : "ouMode") + "=ACCESSIBLE";
    }

    /** The query of the next page: scope, program or type, keyset on updatedAt (always page 1), fields. */
    static String page(TrackerPass pass, String fields) {
        StringBuilder q = new StringBuilder();
        q.append(scope(pass.localMinor));
        q.append('&').append(pass.scopeParam).append('=').append(pass.scopes.get(pass.scopeIndex));
        if (pass.cursor != null) {
            q.append("&updatedAfter=").append(enc(QUERY_TIME.format(pass.cursor)));
        }
        q.append("&updatedBefore=").append(enc(QUERY_TIME.format(pass.upper)));
        q.append("&includeDeleted=true&order=").append(enc("updatedAt:asc"));
        q.append("&page=1&pageSize=").append(pass.requestSize);
        q.append("&fields=").append(enc(fields));
        return q.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
