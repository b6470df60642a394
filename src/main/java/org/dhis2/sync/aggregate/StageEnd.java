package org.dhis2.sync.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * How an aggregate push stage ends: its figures as text, the status rule, and what its progress nodes, the run and
 * the metrics are told.
 */
final class StageEnd {

    private final String stage;
    private final String name;
    private final Logger log;

    /** @param log the stage's logger: its lines keep the name they always had */
    StageEnd(String stage, String name, Logger log) {
        this.stage = stage;
        this.name = name;
        this.log = log;
    }

    /** "N data values in P pages: central's counts; C rejected ...", for the end of the stage. */
    String counts(StageTally t, String what) {
        return t.sent + " " + what + " in " + t.pages + " pages" + (t.splits == 0 ? "" : " (" + t.splits
                + " split in halves: too large for central)") + ": " + t.counts() + "; " + t.conflicts
                + " rejected by central (conflicts recorded)";
    }

    /**
     * The stage's end, one rule for every stage: SUCCESS only when every object sent was accepted; FAILED when
     * central rejected any (they are settled: recorded as conflicts, not sent again until they change) or any did
     * not arrive (sent again next run). Returns what the run is told.
     *
     * <p>DHIS2's own sync does the same: SyncUtils.checkSummaryStatus (core 2.41.8.2, dxf2/sync) counts an import
     * summary with status WARNING or ERROR as a failed sync. For dataValueSets a WARNING means conflicts, and every
     * conflict ignores its value (DataValueSetImportValidator.skipDataValue): there is no "accepted with a
     * warning" in these summaries, so a WARNING page is settled with its conflicted values rejected.
     *
     * @param singular the object noun, singular ("data value"); plural adds "s"
     */
    String end(StageTally t, String singular, String counts, String success, String failurePrefix) {
        if (t.stopped) {
            String reason = name + " stopped by " + t.run.stopCause() + " after " + t.pages + " pages; the rest is "
                    + "sent next run. " + counts;
            fail(t, reason);
            return reason;
        }
        if (t.unsettledPages.isEmpty() && t.conflicts == 0) {
            succeed(t, counts, success);
            return t.process.getSummary();
        }
        List<String> parts = new ArrayList<>();
        if (t.conflicts > 0) {
            parts.add(t.conflicts + " " + noun(singular, t.conflicts) + " rejected by central (conflicts recorded)");
        }
        if (!t.unsettledPages.isEmpty()) {
            parts.add(t.unsettledValues + " " + noun(singular, t.unsettledValues)
                    + " did not arrive (sent again next run): pages " + String.join(", ",
                    t.unsettledPages.stream().map(String::valueOf).toList()) + ". "
                    + String.join("; ", t.unsettledReasons));
        }
        String reason = failurePrefix + String.join("; ", parts);
        fail(t, reason);
        return reason;
    }

    static String noun(String singular, long n) {
        return n == 1 ? singular : singular + "s";
    }

    /** The stage ended with every page settled. */
    private void succeed(StageTally t, String counts, String summary) {
        if (t.pagesStage != null) {
            t.pagesStage.complete(counts);
        }
        t.process.complete(summary);
        log.info("{} done: {}", name, counts);
        t.report(stage, true);
    }

    /** The stage ended FAILED: its progress nodes, the run and the metrics say why. */
    void fail(StageTally t, String reason) {
        if (t.pagesStage != null) {
            t.pagesStage.fail(reason);
        }
        t.process.fail(reason);
        t.run.recordFailure(reason);
        t.report(stage, false);
        log.warn(reason);
    }
}
