package org.dhis2.sync.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.slf4j.Logger;

/**
 * Settling a sent page of an aggregate push stage: central's answer judged per page and per item, the items' states
 * and conflicts recorded, the page's figures; or, when the page did not settle, the window held before its items.
 * The stage says how an item is kept and how a page is named ({@link PagedPushStage}'s hooks).
 */
final class PageSettlement<T, P extends PushPage<T>> {

    private final PagedPushStage<T, P> stage;
    private final AggregateBookkeeping bookkeeping;
    private final AdaptivePageSizes pageSizes;
    private final String stageId;
    private final String kind;
    private final String items;
    private final Logger log;

    /** @param log the stage's logger: its lines keep the name they always had */
    PageSettlement(PagedPushStage<T, P> stage, AggregateBookkeeping bookkeeping, AdaptivePageSizes pageSizes,
                   String stageId, String kind, String items, Logger log) {
        this.stage = stage;
        this.bookkeeping = bookkeeping;
        this.pageSizes = pageSizes;
        this.stageId = stageId;
        this.kind = kind;
        this.items = items;
        this.log = log;
    }

    /** Central answered (200–499): judges the page and every item in it. The caller holds the tally's lock. */
    void settle(StageTally t, P page, JobProgress.Item item, ImportJudgement j) {
        if (!j.settlesPage()) {
            stage.answerDidNotSettle(t, page, j);
            unsettled(t, page, item, j.status() + " " + j.description());
            return;
        }
        Map<Integer, ImportJudgement.Conflict> rejected = RejectedItems.of(page, j);
        if (rejected == null) {
            stage.answerDidNotSettle(t, page, j);
            unsettled(t, page, item, "central's conflicts cannot be tied to " + items + " of the page (importCount."
                    + "ignored " + j.ignored() + "): " + j.conflicts());
            return;
        }
        List<AggregateBookkeeping.ItemState> states = new ArrayList<>();
        List<AggregateBookkeeping.ConflictRow> conflicts = new ArrayList<>();
        for (int i = 0; i < page.items().size(); i++) {
            ImportJudgement.Conflict c = rejected.get(i);
            AggregateBookkeeping.ItemState state = stage.judged(t, page.items().get(i), c);
            if (state != null) {
                states.add(state);
            }
            if (c != null) {
                conflicts.add(new AggregateBookkeeping.ConflictRow(state.uid(), c.object(), c.value(), c.errorCode(),
                        c.property(), "ERROR"));
            }
        }
        bookkeeping.record(kind, t.run.id(), states, conflicts);
        stage.pageSettled(t, page);
        pageSizes.succeeded(stageId, page.items().size());
        t.count(j);
        t.conflicts += conflicts.size();
        String summary = j.status() + ": " + j.counts() + (conflicts.isEmpty() ? ""
                : "; " + conflicts.size() + " " + items + " rejected by central (conflicts recorded)");
        item.complete(summary);
        log.info("{}: {} {} sent, {}", stage.pageLabel(page), page.items().size(), items, summary);
    }

    /** The page did not settle: it fails the stage at its end, and the watermark waits before its oldest item. */
    void unsettled(StageTally t, P page, JobProgress.Item item, String reason) {
        if (page == null) {
            return;
        }
        synchronized (t) {
            unsettledLocked(t, page, item, reason);
        }
    }

    private void unsettledLocked(StageTally t, P page, JobProgress.Item item, String reason) {
        long oldest = page.oldestLastUpdated();
        if (page.hasUndated() && t.from != null) {
            oldest = Math.min(oldest, t.from.toEpochMilli()); // cannot be placed: hold the whole window back
        }
        t.unsettled(page.number(), page.items().size(), oldest, reason);
        if (item != null) {
            item.fail("Page " + page.number() + " synchronisation failed: " + reason);
        }
        log.warn("{}: {} {} did not settle: {}", stage.pageLabel(page), page.items().size(), items, reason);
    }
}
