package org.dhis2.sync.download;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.tracker.SkipSyncFields;

/**
 * The state of one TRACKER_DOWNLOAD run (exchange variable {@value #VARIABLE}): central's clock, the versions of
 * both ends, the programs with their keyset cursors, the import batches waiting, the relationships collected for
 * the end of the run, and the figures of the summary.
 */
final class DownloadPass {

    static final String VARIABLE = "downloadPass";

    /** A tracker program of central: its UID and access level (OPEN, AUDITED, PROTECTED, CLOSED). */
    record Program(String uid, String accessLevel) {
    }

    /** Paging through one program's tracked entities, oldest change first. */
    static final class Cursor {
        final Program program;
        final Instant previousWatermark;
        final Instant lower;
        Instant at;
        final Set<String> seenAtCursor = new HashSet<>();
        /** Pages to skip past the cursor: a page that could not be read is passed over (as the SDK does). */
        int skip;
        int failedReadsInARow;
        int requestSize;
        int pageNumber;
        int read;
        boolean done;
        boolean limitReached;
        /** The watermark may not pass this: the oldest change of a page that failed or did not arrive. */
        Instant holdAt;
        boolean holdFromStart;
        JobProgress.Stage stage;

        Cursor(Program program, Instant previousWatermark, Instant lower, int requestSize) {
            this.program = program;
            this.previousWatermark = previousWatermark;
            this.lower = lower;
            this.at = lower;
            this.requestSize = requestSize;
        }

        /**
         * Where the program's next window starts: the window's end, or where the limit stopped the download, never
         * past a page that failed or an object that did not arrive, never backwards; empty = unchanged.
         */
        java.util.Optional<Instant> nextWatermark(Instant upper) {
            if (holdFromStart) {
                return java.util.Optional.empty();
            }
            Instant next = limitReached ? at : upper;
            if (holdAt != null && (next == null || holdAt.isBefore(next))) {
                next = holdAt;
            }
            return next != null && (previousWatermark == null || next.isAfter(previousWatermark))
                    ? java.util.Optional.of(next) : java.util.Optional.empty();
        }

        /** Nothing at or after this time may be taken as done; null = from the beginning of the window. */
        void hold(Instant time) {
            if (time == null) {
                holdFromStart = true;
            } else if (holdAt == null || time.isBefore(holdAt)) {
                holdAt = time;
            }
        }
    }

    final JobRun run;
    final JobProgress.Process process;
    final Instant upper;
    final int centralMinor;
    int localMinor = -1;
    final SkipSyncFields skipSync = SkipSyncFields.none();
    final Map<String, Program> programs = new LinkedHashMap<>();
    final List<Cursor> cursors = new ArrayList<>();
    int cursorIndex = -1;
    /** A tracked entity to fetch from central by UID: asked for by an operator, or a relationship's end. */
    record Fetch(String uid, String program, String fields, boolean asked) {
    }

    /** By-UID download and relationship ends: what to fetch, what was fetched. */
    final Deque<Fetch> fetchQueue = new ArrayDeque<>();
    final java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> fetched = new ArrayList<>();
    Fetch fetching;
    boolean overrideNeeded;
    boolean overrideGranted;
    JobProgress.Stage fetchStage;
    String uidProgram;
    boolean byUid;
    final Deque<DownloadBatch> batches = new ArrayDeque<>();
    final RelationshipEnds relationships = new RelationshipEnds();
    /** Tracked entities this run imported (or tried to), so their relationships' ends need no fetch. */
    final Set<String> downloaded = new HashSet<>();

    long read;
    /** Tracked entities and relationships given to the local import (or lost on the way): the metric's "sent". */
    long offered;
    long imported;
    long warnings;
    long rejected;
    long notArrived;
    long pagesFailed;
    final List<String> skipped = new ArrayList<>();

    DownloadPass(JobRun run, JobProgress.Process process, Instant upper, int centralMinor) {
        this.run = run;
        this.process = process;
        this.upper = upper;
        this.centralMinor = centralMinor;
    }

    String skippedList() {
        return skipped.size() + " objects skipped (pending local work)" + (skipped.isEmpty() ? "" : ": "
                + String.join("; ", skipped.subList(0, Math.min(20, skipped.size())))
                + (skipped.size() > 20 ? "; ..." : ""));
    }

    /** The figures of the run, for its progress tree and log. */
    String summary() {
        return read + " tracked entities read from central: " + imported + " imported, " + warnings
                + " with warnings, " + rejected + " rejected by the local DHIS2, " + notArrived + " did not arrive, "
                + skippedList();
    }

    Cursor cursor() {
        return cursorIndex >= 0 && cursorIndex < cursors.size() ? cursors.get(cursorIndex) : null;
    }

    /** The cursor of a program, for holding its watermark when a later batch of it fails. */
    Cursor cursorOf(String program) {
        return cursors.stream().filter(c -> c.program.uid().equals(program)).findFirst().orElse(null);
    }
}
