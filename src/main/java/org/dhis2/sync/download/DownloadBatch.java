package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.tracker.ImportReportJudge;
import org.dhis2.sync.tracker.TrackerType;

/**
 * One import into the local instance: tracked entities as central exported them (with enrollments and events), or
 * relationships by reference. Before the import the local instance is asked what it has of them (pending local
 * work is left alone); after it, what changed when, so the push stages can tell this import from a user's edit.
 */
final class DownloadBatch {

    enum Kind { TRACKED_ENTITIES, RELATIONSHIPS }

    /** One object of the batch as the bookkeeping records it; owner = its tracked entity. */
    record Member(TrackerType type, String uid, Instant centralUpdatedAt, String owner) {
    }

    final Kind kind;
    final String label;
    /** The program whose watermark waits when the batch fails; null for by-UID and relationship ends. */
    final DownloadPass.Cursor cursor;
    final List<ObjectNode> objects;
    /** Tracked entities the local instance is asked about: the batch's own, or the ends of its relationships. */
    final Set<String> localTrackedEntities = new HashSet<>();
    final JobProgress.Item item;

    // decided before the import
    ObjectNode payload;
    final List<Member> toRecord = new ArrayList<>();
    /** Tracked entities with no pending local work: an import that moves their updatedAt is ours. */
    final Set<String> untouchedLocally = new HashSet<>();
    /** Imported even when central's updatedAt is the one downloaded before (asked by UID, a missing end). */
    boolean force;
    int skipped;
    int unchanged;

    // the import
    Instant importStarted;
    Instant importEnded;
    ImportReportJudge judge;

    DownloadBatch(Kind kind, String label, DownloadPass.Cursor cursor, List<ObjectNode> objects,
                  JobProgress.Item item) {
        this.kind = kind;
        this.label = label;
        this.cursor = cursor;
        this.objects = objects;
        this.item = item;
        if (kind == Kind.TRACKED_ENTITIES) {
            objects.forEach(te -> localTrackedEntities.add(te.path("trackedEntity").asText()));
        }
    }

    /** The oldest central change among the batch's own objects (where the watermark must wait on failure). */
    Instant oldestCentralChange() {
        return toRecord.stream().map(Member::centralUpdatedAt).filter(java.util.Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
    }
}
