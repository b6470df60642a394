package org.dhis2.sync.aggregate;

import java.util.List;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.stage.Dhis2UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps the aggregate push stages share (routes/data-values.camel.yaml, routes/complete-registrations.camel.yaml):
 * each page is POSTed to central and its answer judged per page and per item ({@link PageSettlement}); a page that
 * did not settle is recorded and fails the stage at its end ({@link StageEnd}), without stopping the pages after it.
 * A subclass says what differs: how a judged item is kept in the bookkeeping, how its pages are described, and how
 * the stage ends.
 *
 * @param <T> the item pushed (data value, registration)
 * @param <P> its page
 */
public abstract class PagedPushStage<T, P extends PushPage<T>> {

    protected final AggregateBookkeeping bookkeeping;
    private final String stage;
    private final String name;
    private final String items;
    private final Class<P> pageType;
    private final String tallyProperty;
    private final String pageProperty;
    private final String itemProperty;
    private final org.dhis2.sync.load.AdaptivePageSizes pageSizes;
    private final int minPageSize;
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final PageSettlement<T, P> settlement;
    private final StageEnd ending;

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
        this.name = name;
        this.items = items;
        this.pageType = pageType;
        this.tallyProperty = "dhis2sync." + stage;
        this.pageProperty = "dhis2sync." + stage + ".page";
        this.itemProperty = "dhis2sync." + stage + ".item";
        this.settlement = new PageSettlement<>(this, bookkeeping, pageSizes, stage, kind, items, log);
        this.ending = new StageEnd(stage, name, log);
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
            int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            ImportJudgement j = ImportSummaryJudge.judge(status, exchange.getMessage().getBody(String.class));
            settlement.settle(t, exchange.getProperty(pageProperty, pageType), exchange.getProperty(itemProperty,
                    JobProgress.Item.class), j);
        }
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
        settlement.unsettled(tally(exchange), exchange.getProperty(pageProperty, pageType),
                exchange.getProperty(itemProperty, JobProgress.Item.class), e == null ? "unknown failure" : e.getClass().getSimpleName() + ": "
                + e.getMessage());
    }

    /** The stage stopped before its pages were judged (availability, export unreadable): nothing moves. */
    public void stageFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ending.fail(tally(exchange), e instanceof Dhis2UnavailableException
                ? name + " failed. Remote server is unavailable. " + e.getMessage()
                : name + " failed: " + (e == null ? "unknown failure" : e.getMessage()));
    }

    /** "N data values in P pages: central's counts; C rejected ...", for the end of the stage. */
    protected String counts(StageTally t, String what) {
        return ending.counts(t, what);
    }

    /** The stage's end, one rule for every stage ({@link StageEnd#end}). Returns what the run is told. */
    protected String end(StageTally t, String singular, String counts, String success, String failurePrefix) {
        return ending.end(t, singular, counts, success, failurePrefix);
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

    protected StageTally tally(Exchange exchange) {
        return exchange.getProperty(tallyProperty, StageTally.class);
    }
}
