package org.dhis2.sync.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.stage.Dhis2UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps the aggregate push stages share (routes/data-values.camel.yaml, routes/complete-registrations.camel.yaml):
 * each page is POSTed to central and its answer judged per page and per item; a page that did not settle is recorded
 * and fails the stage at its end, without stopping the pages after it. A subclass says what differs: how a judged
 * item is kept in the bookkeeping, how its pages are described, and how the stage ends.
 *
 * @param <T> the item pushed (data value, registration)
 * @param <P> its page
 */
public abstract class PagedPushStage<T, P extends PushPage<T>> {

    protected final AggregateBookkeeping bookkeeping;
    private final String stage;
    private final String kind;
    private final String name;
    private final String items;
    private final Class<P> pageType;
    private final String tallyProperty;
    private final String pageProperty;
    private final String itemProperty;
    private final org.dhis2.sync.load.AdaptivePageSizes pageSizes;
    private final int minPageSize;
    private final Logger log = LoggerFactory.getLogger(getClass());

    /**
     * @param stage the stage id (route {@code direct:stage.<stage>}, watermark, metrics)
     * @param kind  the bookkeeping kind of its items
     * @param name  the job name in progress texts (as DHIS2 names it)
     * @param items what its items are called in page summaries and logs, plural ("values")
     */
    protected PagedPushStage(AggregateBookkeeping bookkeeping, String stage, String kind, String name, String items,
                             Class<P> pageType, org.dhis2.sync.load.AdaptivePageSizes pageSizes, int minPageSize) {
        this.bookkeeping = bookkeeping;
        this.pageSizes = pageSizes;
        this.minPageSize = minPageSize;
        this.stage = stage;
        this.kind = kind;
        this.name = name;
        this.items = items;
        this.pageType = pageType;
        this.tallyProperty = "dhis2sync." + stage;
        this.pageProperty = "dhis2sync." + stage + ".page";
        this.itemProperty = "dhis2sync." + stage + ".item";
    }

    /** The progress description of a page being sent. */
    protected abstract String pageDescription(P page);

    /** How a page is named in logs. */
    protected abstract String pageLabel(P page);

    /** The bookkeeping state of an item central settled ({@code conflict} null: accepted); null records nothing. */
    protected abstract AggregateBookkeeping.ItemState judged(StageTally t, T item, ImportJudgement.Conflict conflict);

    /** A part of a page: the same page number, some of its items. */
    protected abstract P part(P page, List<T> items);

    /** Central settled the page (every item accepted or rejected); a stage may remember what it sent. */
    protected void pageSettled(StageTally t, P page) {
    }

    /** Central's answer left the page unsettled; a stage may keep what it said. */
    protected void answerDidNotSettle(StageTally t, P page, ImportJudgement j) {
    }

    /** Starts the stage's process in the run's progress tree. */
    public void start(Exchange exchange) {
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + stage);
        exchange.setProperty(tallyProperty, new StageTally(run, run.progress().startProcess(startDescription())));
    }

    /** The process description, as DHIS2 words it for this job. */
    protected String startDescription() {
        return "Starting " + name + " job";
    }

    /** The POST body of a page (JSON unless a stage sends another format). */
    protected byte[] body(P page) {
        return page.toJson();
    }

    /** The Content-Type of {@link #body}. */
    public String contentType() {
        return "application/json";
    }

    /** Before the POST: the page's body and its progress item. */
    public byte[] pageBody(Exchange exchange) throws Exception {
        P page = exchange.getMessage().getMandatoryBody(pageType);
        StageTally t = tally(exchange);
        exchange.setProperty(pageProperty, page);
        exchange.setProperty(org.dhis2.sync.ledger.LedgerNotifier.PAGE, page.number()); // the request ledger's page
        synchronized (t) { // pages may be in flight at once (sync.dataValues.parallelism): one tally per run
            exchange.setProperty(itemProperty, t.pagesStage.startItem(pageDescription(page)));
            t.pages = Math.max(t.pages, page.number());
            t.sent += page.items().size();
        }
        return body(page);
    }

    /** After central answered (200–499): judge the page and every item in it. */
    public void settle(Exchange exchange) {
        StageTally t = tally(exchange);
        synchronized (t) { // the judging of parallel pages goes one at a time (their POSTs do not)
            settle(exchange, t);
        }
    }

    private void settle(Exchange exchange, StageTally t) {
        P page = exchange.getProperty(pageProperty, pageType);
        JobProgress.Item item = exchange.getProperty(itemProperty, JobProgress.Item.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        ImportJudgement j = ImportSummaryJudge.judge(status, exchange.getMessage().getBody(String.class));
        if (!j.settlesPage()) {
            answerDidNotSettle(t, page, j);
            unsettled(t, page, item, j.status() + " " + j.description());
            return;
        }
        Map<Integer, ImportJudgement.Conflict> rejected = rejectedValues(page, j);
        if (rejected == null) {
            answerDidNotSettle(t, page, j);
            unsettled(t, page, item, "central's conflicts cannot be tied to " + items + " of the page (importCount."
                    + "ignored " + j.ignored() + "): " + j.conflicts());
            return;
        }
        List<AggregateBookkeeping.ItemState> states = new ArrayList<>();
        List<AggregateBookkeeping.ConflictRow> conflicts = new ArrayList<>();
        for (int i = 0; i < page.items().size(); i++) {
            ImportJudgement.Conflict c = rejected.get(i);
            AggregateBookkeeping.ItemState state = judged(t, page.items().get(i), c);
            if (state != null) {
                states.add(state);
            }
            if (c != null) {
                conflicts.add(new AggregateBookkeeping.ConflictRow(state.uid(), c.object(), c.value(), c.errorCode(),
                        c.property(), "ERROR"));
            }
        }
        bookkeeping.record(kind, t.run.id(), states, conflicts);
        pageSettled(t, page);
        pageSizes.succeeded(stage, page.items().size());
        t.count(j);
        t.conflicts += conflicts.size();
        String summary = j.status() + ": " + j.counts() + (conflicts.isEmpty() ? ""
                : "; " + conflicts.size() + " " + items + " rejected by central (conflicts recorded)");
        item.complete(summary);
        log.info("{}: {} {} sent, {}", pageLabel(page), page.items().size(), items, summary);
    }

    /**
     * Item index → the conflict that rejected it; null when a conflict cannot be tied to any item of the page, or
     * when the conflicts would reject more items than central counted as ignored ({@code importCount.ignored}):
     * then the answer cannot tell which items were rejected, and the page is not settled. A conflict with
     * {@code indexes} (2.38+) names its items; one without (older DHIS2) is tied to the items it names most
     * precisely ({@link PushPage#specificity}).
     */
    static <T> Map<Integer, ImportJudgement.Conflict> rejectedValues(PushPage<T> page, ImportJudgement j) {
        List<T> pageItems = page.items();
        Map<Integer, ImportJudgement.Conflict> rejected = new HashMap<>();
        for (ImportJudgement.Conflict c : j.conflicts()) {
            Set<Integer> hits = new HashSet<>();
            if (!c.indexes().isEmpty()) {
                for (int i : c.indexes()) {
                    if (i >= 0 && i < pageItems.size()) {
                        hits.add(i);
                    }
                }
            } else {
                int best = Integer.MIN_VALUE;
                for (int i = 0; i < pageItems.size(); i++) {
                    if (!page.involves(pageItems.get(i), c)) {
                        continue;
                    }
                    int score = page.specificity(pageItems.get(i), c);
                    if (score > best) {
                        best = score;
                        hits.clear();
                    }
                    if (score == best) {
                        hits.add(i);
                    }
                }
            }
            if (hits.isEmpty()) {
                return null;
            }
            hits.forEach(i -> rejected.putIfAbsent(i, c));
        }
        return rejected.size() > j.ignored() ? null : rejected;
    }

    /** The page size of this run's first page: what central accepted last time, at most {@code configured}. */
    protected int startPageSize(int configured) {
        return pageSizes.startRun(stage, configured, minPageSize);
    }

    /** The page size now (it adapts to what central accepts during the run). */
    protected int currentPageSize(int configured) {
        return pageSizes.current(stage, configured);
    }

    /**
     * The POST failed because the page was too large (413; 502/504 or no answer in time after the retries) and it
     * holds more than sync.adaptive.minPageSize items: it is sent again in two halves instead of failing.
     */
    public boolean splits(Exchange exchange) {
        P page = exchange.getProperty(pageProperty, pageType);
        return page != null && org.dhis2.sync.load.TooLarge.reason(exchange).isPresent()
                && pageSizes.splittable(stage, page.items().size());
    }

    /**
     * The two halves of a page that was too large, each sent and judged on its own like a page (and split again
     * when still too large). The pages after it are at most half as large. The halves count their items as sent.
     */
    public List<P> halves(Exchange exchange) {
        StageTally t = tally(exchange);
        synchronized (t) {
            return halves(exchange, t);
        }
    }

    private List<P> halves(Exchange exchange, StageTally t) {
        P page = exchange.getProperty(pageProperty, pageType);
        String why = org.dhis2.sync.load.TooLarge.reason(exchange).orElse("too large");
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        List<T> all = page.items();
        int half = all.size() / 2;
        pageSizes.tooLarge(stage, all.size(), why);
        t.sent -= all.size();
        t.splits++;
        JobProgress.Item item = exchange.getProperty(itemProperty, JobProgress.Item.class);
        if (item != null) {
            item.complete("Too large for central (" + why + "): sent again in two halves of " + half + " and "
                    + (all.size() - half) + " " + items);
        }
        log.info("{}: {} {} too large for central ({}), sent again in two halves", pageLabel(page), all.size(),
                items, why);
        return List.of(part(page, List.copyOf(all.subList(0, half))), part(page,
                List.copyOf(all.subList(half, all.size()))));
    }

    /** The POST failed for good (redeliveries exhausted, reset, timeout): the page did not settle. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        unsettled(tally(exchange), exchange.getProperty(pageProperty, pageType), exchange.getProperty(itemProperty,
                JobProgress.Item.class), e == null ? "unknown failure" : e.getClass().getSimpleName() + ": "
                + e.getMessage());
    }

    /** The stage stopped before its pages were judged (availability, export unreadable): nothing moves. */
    public void stageFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        fail(tally(exchange), e instanceof Dhis2UnavailableException
                ? name + " failed. Remote server is unavailable. " + e.getMessage()
                : name + " failed: " + (e == null ? "unknown failure" : e.getMessage()));
    }

    private void unsettled(StageTally t, P page, JobProgress.Item item, String reason) {
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
        log.warn("{}: {} {} did not settle: {}", pageLabel(page), page.items().size(), items, reason);
    }

    /** "N data values in P pages: central's counts; C rejected ...", for the end of the stage. */
    protected String counts(StageTally t, String what) {
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
    protected String end(StageTally t, String singular, String counts, String success, String failurePrefix) {
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

    /**
     * The pages, until the engine shuts down: then no new page is taken (the ones in flight still settle) and the
     * stage records that the rest waits for the next run.
     */
    protected <X> java.util.Iterator<X> untilStopped(StageTally t, java.util.Iterator<X> pages) {
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                if (t.run.stopRequested()) {
                    t.stopped = true;
                    return false;
                }
                return pages.hasNext();
            }

            @Override
            public X next() {
                return pages.next();
            }
        };
    }

    static String noun(String singular, long n) {
        return n == 1 ? singular : singular + "s";
    }

    /** The stage ended with every page settled. */
    protected void succeed(StageTally t, String counts, String summary) {
        if (t.pagesStage != null) {
            t.pagesStage.complete(counts);
        }
        t.process.complete(summary);
        log.info("{} done: {}", name, counts);
        t.report(stage, true);
    }

    /** The stage ended FAILED: its progress nodes, the run and the metrics say why. */
    protected void fail(StageTally t, String reason) {
        if (t.pagesStage != null) {
            t.pagesStage.fail(reason);
        }
        t.process.fail(reason);
        t.run.recordFailure(reason);
        t.report(stage, false);
        log.warn(reason);
    }

    protected StageTally tally(Exchange exchange) {
        return exchange.getProperty(tallyProperty, StageTally.class);
    }
}
