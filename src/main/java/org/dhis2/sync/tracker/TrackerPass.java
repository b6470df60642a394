package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;

/**
 * The state of one run of a tracker stage (kept in the exchange variable {@value #VARIABLE}): the window, the
 * programs (or tracked entity types) to read, the keyset cursor of the current one, the page in flight, counters.
 */
public final class TrackerPass {

    public static final String VARIABLE = "trackerPass";

    /** One object of a page as the bookkeeping sees it. */
    record Member(TrackerType type, String uid, Instant updatedAt, boolean deleted) {
    }

    /** A top-level object of a page (event or tracked entity) with its nested members (enrollments, events...). */
    record Unit(Member self, List<Member> members) {
    }

    final JobRun run;
    final JobProgress.Process process;
    final Instant lower;
    final Instant upper;
    final SkipSyncFields skipSync;
    final List<String> scopes = new ArrayList<>();
    final Set<String> processed = new HashSet<>();
    final Map<String, ObjectNode> relationships = new LinkedHashMap<>();
    final Map<String, Instant> relationshipTimes = new LinkedHashMap<>();

    int scopeIndex = -1;
    boolean scopeDone = true;
    Instant cursor;
    final Set<String> seenAtCursor = new HashSet<>();
    int requestSize;
    JobProgress.Stage stage;
    int pageNumber;

    List<Unit> page;
    String relationshipPayload;
    JobProgress.Item pageItem;
    ImportReportJudge deleteJudge;
    ImportReportJudge upsertJudge;

    Instant oldestUnsettled;
    boolean unsettledFromStart;
    int sent;
    int synced;
    int errors;
    int warnings;
    int unsettled;
    int pagesFailed;

    TrackerPass(JobRun run, JobProgress.Process process, Instant lower, Instant upper, SkipSyncFields skipSync) {
        this.run = run;
        this.process = process;
        this.lower = lower;
        this.upper = upper;
        this.skipSync = skipSync;
    }

    void unsettledAt(Instant at) {
        if (at == null) {
            unsettledFromStart = true;
        } else if (oldestUnsettled == null || at.isBefore(oldestUnsettled)) {
            oldestUnsettled = at;
        }
    }
}
