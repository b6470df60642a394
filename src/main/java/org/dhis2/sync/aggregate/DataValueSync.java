package org.dhis2.sync.aggregate;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.stage.Dhis2UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data value stage's steps (routes/data-values.camel.yaml): open the window on the local server's clock, page
 * the streamed export, judge central's answer per page and per value, and move the watermark only past settled data.
 * Conflicts are remembered per value and its change time, so a rejected value is not sent again until it changes.
 */
public final class DataValueSync {

    public static final String STAGE = "dataValues";
    public static final String KIND = "dataValue";
    static final String TALLY = "dhis2sync.dataValues";
    static final String PAGE = "dhis2sync.dataValuePage";
    static final String ITEM = "dhis2sync.dataValueItem";
    private static final String NAME = "DataValueSynchronization";
    private static final Logger LOG = LoggerFactory.getLogger(DataValueSync.class);

    private final AggregateBookkeeping bookkeeping;
    private final int pageSize;
    private final Optional<Instant> skipChangedBefore;
    private final String centralUrl;
    private Map<String, Instant> openConflicts;

    public DataValueSync(AggregateBookkeeping bookkeeping, int pageSize, Optional<Instant> skipChangedBefore,
                         String centralUrl) {
        this.bookkeeping = bookkeeping;
        this.pageSize = pageSize;
        this.skipChangedBefore = skipChangedBefore;
        this.centralUrl = centralUrl;
    }

    /** Starts the stage's process in the run's progress tree. */
    public void start(Exchange exchange) {
        JobRun run = JobCoordinator.currentRun(exchange, "stage.dataValues");
        exchange.setProperty(TALLY, new StageTally(run, run.progress().startProcess("Starting " + NAME + " job")));
    }

    /**
     * After {@code GET /api/system/info} of the local instance: the window is {@code [max(watermark,
     * skipChangedBefore), serverDate]}; returns the lower bound as the export's {@code lastUpdated} parameter.
     */
    public String openWindow(Exchange exchange) {
        StageTally t = tally(exchange);
        t.serverNow = ServerTime.fromSystemInfo(exchange.getMessage().getBody(String.class));
        Instant from = bookkeeping.watermarkWithAge(STAGE).map(w -> lowerBound(w, t.serverNow.instant()))
                .orElse(Instant.EPOCH);
        if (skipChangedBefore.isPresent() && skipChangedBefore.get().isAfter(from)) {
            from = skipChangedBefore.get();
        }
        t.from = from;
        JobProgress.Stage counting = t.process.startStage("Counting data values", 0, JobProgress.FailurePolicy.FAIL);
        counting.complete("DataValues last changed before " + t.serverNow.format(from) + " (local server time) "
                + "will not be synchronized. Window up to " + t.serverNow.format(t.serverNow.instant()) + ".");
        openConflicts = bookkeeping.openConflicts(KIND);
        return t.serverNow.format(from);
    }

    /**
     * The window's lower bound: the watermark, unless the local server's clock went back since it was written
     * (NTP step, manual correction). Then values changed after the step carry times before the watermark, so the
     * window starts where the server's clock stood when the watermark was written, as far as can be told: server
     * now minus the time elapsed since (bookkeeping clock), minus a minute of margin.
     */
    static Instant lowerBound(AggregateBookkeeping.Watermark w, Instant serverNow) {
        Instant clockSays = serverNow.minusMillis(Math.max(0, w.elapsedMillis()));
        if (serverNow.isBefore(w.serverTime()) || clockSays.isBefore(w.serverTime().minusSeconds(1))) {
            clockSays = clockSays.minusSeconds(60);
            LOG.warn("The local server's clock is behind the data value watermark ({} < {}): it went back; the window "
                    + "starts at {} so that no change made since is missed", serverNow, w.serverTime(), clockSays);
            return clockSays;
        }
        return w.serverTime();
    }

    /** The export answer, split into pages while it streams in. */
    public DataValueExportReader pages(Exchange exchange) throws Exception {
        StageTally t = tally(exchange);
        t.pagesStage = t.process.startStage("DataValues changed since " + t.serverNow.format(t.from)
                + " to synchronize. Remote server URL for DataValues POST sync: " + centralUrl
                + "/api/dataValueSets. Page size: " + pageSize, -1, JobProgress.FailurePolicy.SKIP_ITEM);
        Map<String, Instant> open = openConflicts;
        InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
        return new DataValueExportReader(in, pageSize, v -> {
            if (open.isEmpty()) {
                return true; // no key to build per value when nothing was rejected before
            }
            Instant rejected = open.get(v.key());
            if (rejected != null && rejected.toEpochMilli() == v.lastUpdated()) {
                t.skipped++;
                return false;
            }
            return true;
        });
    }

    /** Before the POST: the page's JSON body and its progress item. */
    public byte[] pageBody(Exchange exchange) throws Exception {
        DataValuePage page = exchange.getMessage().getMandatoryBody(DataValuePage.class);
        StageTally t = tally(exchange);
        exchange.setProperty(PAGE, page);
        exchange.setProperty(ITEM, t.pagesStage.startItem("Synchronizing page " + page.number() + " with "
                + page.values().size() + " data values (page size " + pageSize + ")"));
        t.pages = Math.max(t.pages, page.number());
        t.sent += page.values().size();
        return page.toJson();
    }

    /** After central answered (200–499): judge the page and every value in it. */
    public void settle(Exchange exchange) {
        StageTally t = tally(exchange);
        DataValuePage page = exchange.getProperty(PAGE, DataValuePage.class);
        JobProgress.Item item = exchange.getProperty(ITEM, JobProgress.Item.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        ImportJudgement j = ImportSummaryJudge.judge(status, exchange.getMessage().getBody(String.class));
        if (!j.settlesPage()) {
            recordPageConflicts(t, page, j);
            unsettled(t, page, item, j.status() + " " + j.description());
            return;
        }
        Map<Integer, ImportJudgement.Conflict> rejected = rejectedValues(page, j);
        if (rejected == null) {
            recordPageConflicts(t, page, j);
            unsettled(t, page, item, "central reported conflicts that match no value of the page: "
                    + j.conflicts());
            return;
        }
        List<AggregateBookkeeping.ItemState> states = new ArrayList<>();
        List<AggregateBookkeeping.ConflictRow> conflicts = new ArrayList<>();
        for (int i = 0; i < page.values().size(); i++) {
            DataValue v = page.values().get(i);
            ImportJudgement.Conflict c = rejected.get(i);
            Instant changed = Instant.ofEpochMilli(v.lastUpdated());
            if (c != null) {
                states.add(new AggregateBookkeeping.ItemState(v.key(), changed, "ERROR",
                        (c.errorCode() == null ? "" : c.errorCode() + " ") + c.value(), null));
                conflicts.add(new AggregateBookkeeping.ConflictRow(v.key(), c.object(), c.value(), c.errorCode(),
                        c.property(), "ERROR"));
                openConflicts.put(v.key(), changed);
            } else if (!openConflicts.isEmpty() && openConflicts.remove(v.key()) != null) {
                states.add(new AggregateBookkeeping.ItemState(v.key(), changed, "SYNCED", null, null));
            }
        }
        bookkeeping.record(KIND, t.run.id(), states, conflicts);
        t.count(j);
        t.conflicts += conflicts.size();
        String summary = j.status() + ": " + j.counts() + (conflicts.isEmpty() ? ""
                : "; " + conflicts.size() + " values rejected by central (recorded as conflicts)");
        item.complete(summary);
        LOG.info("Data values page {}: {} values sent, {}", page.number(), page.values().size(), summary);
    }

    /** The POST failed for good (redeliveries exhausted, reset, timeout): the page did not settle. */
    public void failed(Exchange exchange) {
        StageTally t = tally(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        unsettled(t, exchange.getProperty(PAGE, DataValuePage.class), exchange.getProperty(ITEM,
                JobProgress.Item.class), e == null ? "unknown failure" : e.getClass().getSimpleName() + ": "
                + e.getMessage());
    }

    /**
     * After the last page: the watermark moves to where everything before it is settled; the process ends. Returns
     * the process summary (it replaces the consumed export stream as the message body).
     */
    public String finish(Exchange exchange) {
        StageTally t = tally(exchange);
        if (t.pagesStage != null) {
            t.pagesStage.setTotalItems(t.pages);
        }
        Instant high = t.serverNow.instant();
        Instant mark = t.unsettledPages.isEmpty() ? high
                : Instant.ofEpochMilli(Math.min(high.toEpochMilli(), t.oldestUnsettled));
        bookkeeping.setWatermark(STAGE, mark);
        String counts = t.sent + " data values in " + t.pages + " pages: " + t.counts() + "; " + t.conflicts
                + " rejected by central and recorded as conflicts" + (t.skipped == 0 ? ""
                : "; " + t.skipped + " unchanged rejected values not re-sent");
        if (t.unsettledPages.isEmpty()) {
            if (t.pagesStage != null) {
                t.pagesStage.complete(counts);
            }
            t.process.complete(t.sent == 0 && t.skipped == 0
                    ? "Skipping synchronization, no new or updated DataValues"
                    : "SUCCESS! " + NAME + " job is done. " + counts);
            LOG.info("{} done: {}; watermark {}", NAME, counts, t.serverNow.format(mark));
            t.report(STAGE, true);
            return t.process.getSummary();
        }
        String reason = NAME + " failed. Not all pages were synchronised successfully: " + t.unsettledValues
                + " of " + t.sent + " data values did not arrive (pages " + join(t.unsettledPages) + "). "
                + String.join("; ", t.unsettledReasons);
        t.pagesStage.fail(reason);
        t.process.fail(reason);
        t.run.recordFailure(reason);
        t.report(STAGE, false);
        LOG.warn("{}; watermark kept at {}", reason, t.serverNow.format(mark));
        return reason;
    }

    /** The stage stopped before its pages were judged (availability, export unreadable): nothing moves. */
    public void stageFailed(Exchange exchange) {
        StageTally t = tally(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e instanceof Dhis2UnavailableException
                ? NAME + " failed. Remote server is unavailable. " + e.getMessage()
                : NAME + " failed: " + (e == null ? "unknown failure" : e.getMessage());
        if (t.pagesStage != null) {
            t.pagesStage.fail(reason);
        }
        t.process.fail(reason);
        t.run.recordFailure(reason);
        t.report(STAGE, false);
        LOG.warn(reason);
    }

    private void unsettled(StageTally t, DataValuePage page, JobProgress.Item item, String reason) {
        if (page == null) {
            return;
        }
        t.unsettled(page.number(), page.values().size(), page.oldestLastUpdated(), reason);
        if (item != null) {
            item.fail("Page " + page.number() + " synchronisation failed: " + reason);
        }
        LOG.warn("Data values page {}: {} values did not settle: {}", page.number(), page.values().size(), reason);
    }

    private void recordPageConflicts(StageTally t, DataValuePage page, ImportJudgement j) {
        List<AggregateBookkeeping.ConflictRow> rows = new ArrayList<>();
        for (ImportJudgement.Conflict c : j.conflicts()) {
            rows.add(new AggregateBookkeeping.ConflictRow("page " + page.number(), c.object(), c.value(),
                    c.errorCode(), c.property(), j.status()));
        }
        bookkeeping.record("dataValueSet", t.run.id(), List.of(), rows);
    }

    /** Value index → the conflict that rejected it; null when a conflict cannot be tied to any value. */
    static Map<Integer, ImportJudgement.Conflict> rejectedValues(DataValuePage page, ImportJudgement j) {
        Map<Integer, ImportJudgement.Conflict> rejected = new java.util.HashMap<>();
        for (ImportJudgement.Conflict c : j.conflicts()) {
            Set<Integer> hits = new HashSet<>();
            if (!c.indexes().isEmpty()) {
                for (int i : c.indexes()) {
                    if (i >= 0 && i < page.values().size()) {
                        hits.add(i);
                    }
                }
            } else {
                for (int i = 0; i < page.values().size(); i++) {
                    if (page.values().get(i).involves(c.object(), c.value())) {
                        hits.add(i);
                    }
                }
            }
            if (hits.isEmpty()) {
                return null;
            }
            hits.forEach(i -> rejected.putIfAbsent(i, c));
        }
        return rejected;
    }

    private static String join(List<Integer> pages) {
        return String.join(", ", pages.stream().map(String::valueOf).toList());
    }

    private static StageTally tally(Exchange exchange) {
        return exchange.getProperty(TALLY, StageTally.class);
    }
}
