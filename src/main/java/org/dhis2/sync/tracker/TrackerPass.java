package org.dhis2.sync.tracker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

    /**
     * One page on its way to central: its objects, the DELETE and CREATE_AND_UPDATE payloads (null when empty),
     * and central's verdicts. Pages of a batch are sent in parallel; each one is settled on its own.
     */
    static final class Page {
        final TrackerPass pass;
        final int number;
        final String scope;
        final JobProgress.Item item;
        final List<Unit> units;
        final String deletes;
        final String upserts;
        /** The progress stage of its item, and each object's part of the payloads (null: a page never split). */
        final JobProgress.Stage stage;
        final List<TrackerPageSplit.Part> parts;
        volatile ImportReportJudge deleteJudge;
        volatile ImportReportJudge upsertJudge;

        Page(TrackerPass pass, int number, String scope, JobProgress.Item item, List<Unit> units, String deletes,
             String upserts) {
            this(pass, number, scope, item, null, units, deletes, upserts, null);
        }

        Page(TrackerPass pass, int number, String scope, JobProgress.Item item, JobProgress.Stage stage,
             List<Unit> units, String deletes, String upserts, List<TrackerPageSplit.Part> parts) {
            this.stage = stage;
            this.parts = parts;
            this.pass = pass;
            this.number = number;
            this.scope = scope;
            this.item = item;
            this.units = units;
            this.deletes = deletes;
            this.upserts = upserts;
        }
    }

    final JobRun run;
    final JobProgress.Process process;
    final Instant lower;
    final Instant upper;
    final SkipSyncFields skipSync;
    final List<String> scopes = new ArrayList<>();
    final Set<String> processed = new HashSet<>();
    /** Relationships read with this run's objects, sent after all of them are settled. */
    final RelationshipPass relationships = new RelationshipPass();
    /** Pages read but not yet sent; sent together (in parallel) when full or when reading is over. */
    final List<Page> batch = new ArrayList<>();
    /** Progress stages whose pages were all read; completed once their last batch is settled. */
    final List<JobProgress.Stage> readStages = new ArrayList<>();
    /** The batch sent in the background while the next page is read (ReadAhead); null when none. */
    volatile java.util.concurrent.Future<org.apache.camel.Exchange> inFlight;
    /** program (configured programs) or trackedEntityType (tracker, discovered) or program (events). */
    String scopeParam;
    /** The local DHIS2's minor version (41 for 2.41.8.2; -1 unknown): the export's scope parameter depends on it. */
    int localMinor = -1;
    /** Where the previous run left the window (null: never ran); this window starts an overlap before it. */
    Instant previousWatermark;

    int scopeIndex = -1;
    boolean scopeDone = true;
    Instant cursor;
    final Set<String> seenAtCursor = new HashSet<>();
    int requestSize;
    JobProgress.Stage stage;
    int pageNumber;

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

    /** Adds a settled page's counts (pages settle on several threads); a page with unsettled objects failed. */
    synchronized void count(int synced, int errors, int warnings, int unsettled) {
        this.synced += synced;
        this.errors += errors;
        this.warnings += warnings;
        this.unsettled += unsettled;
        if (unsettled > 0) {
            pagesFailed++;
        }
    }

    /** A page of the local export could not be read. */
    synchronized void readFailed() {
        pagesFailed++;
    }

    synchronized void unsettledAt(Instant at) {
        if (at == null) {
            unsettledFromStart = true;
        } else if (oldestUnsettled == null || at.isBefore(oldestUnsettled)) {
            oldestUnsettled = at;
        }
    }
}
