package org.dhis2.sync.aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;

/**
 * What one run of an aggregate stage has done so far: its window on the local server's clock, its progress nodes,
 * counts of central's answers, and the pages that did not settle. Shared by the page exchanges of a split.
 */
public final class StageTally {

    final JobRun run;
    final JobProgress.Process process;
    JobProgress.Stage pagesStage;
    ServerTime.Now serverNow;
    Instant from;
    int pages;
    /** Pages sent again in halves because central (or a proxy) found them too large. */
    int splits;
    long sent;
    long imported;
    long updated;
    long deleted;
    long ignored;
    long conflicts;
    long skipped;
    long unsettledValues;
    long oldestUnsettled = Long.MAX_VALUE;
    /** Data values: objects whose last change central rejected (key → change time), read when the window opens. */
    Map<String, Instant> openConflicts = Map.of();
    /** What the previous runs sent in the window overlap (key → change time and content). */
    Map<String, OverlapMemory.Sent> sentInOverlap = Map.of();
    /** Items changed at or after this (epoch ms) are remembered when sent: the next window reaches back to them. */
    long rememberFrom = Long.MAX_VALUE;
    /** Items read again in the overlap, unchanged since they were sent, so not sent again. */
    long unchangedInOverlap;
    /** The engine shut down before every page was taken. */
    boolean stopped;
    final List<Integer> unsettledPages = new ArrayList<>();
    final List<String> unsettledReasons = new ArrayList<>();

    StageTally(JobRun run, JobProgress.Process process) {
        this.run = run;
        this.process = process;
    }

    void count(ImportJudgement j) {
        imported += j.imported();
        updated += j.updated();
        deleted += j.deleted();
        ignored += j.ignored();
    }

    void unsettled(int page, int values, long oldest, String reason) {
        unsettledPages.add(page);
        unsettledValues += values;
        oldestUnsettled = Math.min(oldestUnsettled, oldest);
        if (unsettledReasons.size() < 5) {
            unsettledReasons.add("page " + page + ": " + reason);
        }
    }

    /** The stage ended: its numbers go to the run (and from there to the metrics). */
    void report(String stage, boolean succeeded) {
        run.recordStage(StageOutcome.of(stage, sent, sent - unsettledValues, conflicts, unsettledPages.size(),
                process.getStartedTime(), succeeded));
    }

    String counts() {
        return "imported " + imported + ", updated " + updated + ", deleted " + deleted + ", ignored " + ignored;
    }

    public long unsettledValues() {
        return unsettledValues;
    }

    public List<Integer> unsettledPages() {
        return List.copyOf(unsettledPages);
    }
}
