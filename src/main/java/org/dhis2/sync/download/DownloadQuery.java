package org.dhis2.sync.download;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/**
 * The queries of the tracker download. On central: one page of a program's tracked entities in the CAPTURE scope
 * of the sync user (as the Android SDK downloads), keyset on updatedAt; one tracked entity by UID; the ownership
 * override. On local: several tracked entities by UID with the change times of everything nested.
 *
 * <p>Names by version: the org unit mode is {@code ouMode} up to 2.40 and {@code orgUnitMode} from 2.41; tracked
 * entities by UID are {@code trackedEntity=a;b} up to 2.40 and {@code trackedEntities=a,b} from 2.41
 * (core@2.41.8.2 TrackedEntityRequestParams: the old name is deprecated, semicolon-separated); the override takes
 * {@code trackedEntityInstance} up to 2.40 and {@code trackedEntity} from 2.41 (TrackerOwnershipController).
 */
final class DownloadQuery {

    /** A tracked entity with everything nested; relationships are imported at the end, by reference. */
    static final String FIELDS = "*,enrollments[*,events[*]],relationships[*],!programOwners";
    /** An end of a relationship, fetched "without its own relationships" (as the SDK does). */
    static final String END_FIELDS = "*,enrollments[*,!relationships,events[*,!relationships]],!relationships,"
            + "!programOwners";
    /** What the local instance says of objects before and after an import: which exist, changed when. */
    static final String LOCAL_FIELDS = "trackedEntity,updatedAt,enrollments[enrollment,updatedAt,events[event,"
            + "updatedAt]],relationships[relationship,updatedAt,createdAt]";

    /** What the local instance has of a batch before the import: change times and the content an import could change. */
    static final String LOCAL_CONTENT_FIELDS = "trackedEntity,orgUnit,trackedEntityType,updatedAt,deleted,"
            + "attributes[attribute,value],enrollments[enrollment,program,orgUnit,status,enrolledAt,occurredAt,updatedAt,"
            + "deleted,events[event,programStage,orgUnit,status,occurredAt,updatedAt,deleted,dataValues[dataElement,"
            + "value]]],relationships[relationship,updatedAt,createdAt]";

    private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private DownloadQuery() {
    }

    static String captureScope(int minor) {
        return (minor >= 41 ? "orgUnitMode" : "ouMode") + "=CAPTURE";
    }

    /** The next page of a program: CAPTURE scope, window [cursor, upper), oldest change first. */
    static String page(DownloadPass.Cursor c, Instant upper, int centralMinor) {
        StringBuilder q = new StringBuilder(captureScope(centralMinor));
        q.append("&program=").append(c.program.uid());
        if (c.at != null) {
            q.append("&updatedAfter=").append(enc(QUERY_TIME.format(c.at)));
        }
        q.append("&updatedBefore=").append(enc(QUERY_TIME.format(upper)));
        q.append("&order=").append(enc("updatedAt:asc"));
        q.append("&page=").append(c.skip + 1).append("&pageSize=").append(c.requestSize);
        q.append("&fields=").append(enc(FIELDS));
        return q.toString();
    }

    /** One tracked entity of central ({@code /api/tracker/trackedEntities/{uid}}), within a program or not. */
    static String one(String program, String fields) {
        return (program == null ? "" : "program=" + program + "&") + "fields=" + enc(fields);
    }

    /** Tracked entities of the local instance by UID, with the change times of what is nested. */
    static String localByUid(int localMinor, Collection<String> uids) {
        return localByUid(localMinor, uids, LOCAL_FIELDS);
    }

    /** As above, with the given fields (e.g. {@link #LOCAL_CONTENT_FIELDS}). */
    static String localByUid(int localMinor, Collection<String> uids, String fields) {
        String list = localMinor >= 41 ? "trackedEntities=" + String.join(",", uids)
                : "ouMode=ACCESSIBLE&trackedEntity=" + String.join(";", uids);
        // deleted ones too: a local deletion not yet pushed is pending work like an edit
        return list + "&includeDeleted=true&page=1&pageSize=" + Math.max(1, uids.size()) + "&fields=" + enc(fields);
    }

    /** The temporary ownership override ("break the glass") of a protected program. */
    static String override(int centralMinor, String trackedEntity, String program, String reason) {
        return (centralMinor >= 41 ? "trackedEntity=" : "trackedEntityInstance=") + trackedEntity + "&program="
                + program + "&reason=" + enc(reason);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
