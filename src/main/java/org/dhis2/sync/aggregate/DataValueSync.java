package org.dhis2.sync.aggregate;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data value stage's steps (routes/data-values.camel.yaml): open the window on the local server's clock, page
 * the streamed export, judge central's answer per page and per value, and move the watermark only past settled data.
 * Conflicts are remembered per value and its change time, so a rejected value is not sent again until it changes.
 */
public final class DataValueSync extends PagedPushStage<DataValue, DataValuePage> {

    public static final String STAGE = "dataValues";
    public static final String KIND = "dataValue";
    private static final String NAME = "DataValueSynchronization";
    private static final Logger LOG = LoggerFactory.getLogger(DataValueSync.class);

    private final int pageSize;
    private final Optional<Instant> skipChangedBefore;
    private final String centralUrl;
    private Map<String, Instant> openConflicts;

    public DataValueSync(AggregateBookkeeping bookkeeping, int pageSize, Optional<Instant> skipChangedBefore,
                         String centralUrl) {
        super(bookkeeping, STAGE, KIND, NAME, "values", DataValuePage.class);
        this.pageSize = pageSize;
        this.skipChangedBefore = skipChangedBefore;
        this.centralUrl = centralUrl;
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

    @Override
    protected String pageDescription(DataValuePage page) {
        return "Synchronizing page " + page.number() + " with " + page.values().size() + " data values (page size "
                + pageSize + ")";
    }

    @Override
    protected String pageLabel(DataValuePage page) {
        return "Data values page " + page.number();
    }

    /** A rejected value stays an open conflict until it changes; an accepted value closes its open conflict. */
    @Override
    protected AggregateBookkeeping.ItemState judged(DataValue v, ImportJudgement.Conflict c) {
        Instant changed = Instant.ofEpochMilli(v.lastUpdated());
        if (c != null) {
            openConflicts.put(v.key(), changed);
            return new AggregateBookkeeping.ItemState(v.key(), changed, "ERROR",
                    (c.errorCode() == null ? "" : c.errorCode() + " ") + c.value(), null);
        } else if (!openConflicts.isEmpty() && openConflicts.remove(v.key()) != null) {
            return new AggregateBookkeeping.ItemState(v.key(), changed, "SYNCED", null, null);
        }
        return null;
    }

    /** An aborted import's conflicts are kept against the page, for the admin to see why it did not settle. */
    @Override
    protected void answerDidNotSettle(StageTally t, DataValuePage page, ImportJudgement j) {
        List<AggregateBookkeeping.ConflictRow> rows = new ArrayList<>();
        for (ImportJudgement.Conflict c : j.conflicts()) {
            rows.add(new AggregateBookkeeping.ConflictRow("page " + page.number(), c.object(), c.value(),
                    c.errorCode(), c.property(), j.status()));
        }
        bookkeeping.record("dataValueSet", t.run.id(), List.of(), rows);
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
        String counts = counts(t, "data values") + (t.skipped == 0 ? ""
                : "; " + t.skipped + " unchanged rejected values not re-sent");
        if (t.unsettledPages.isEmpty()) {
            succeed(t, counts, t.sent == 0 && t.skipped == 0
                    ? "Skipping synchronization, no new or updated DataValues"
                    : "SUCCESS! " + NAME + " job is done. " + counts);
            LOG.info("Data value watermark moved to {}", t.serverNow.format(mark));
            return t.process.getSummary();
        }
        String reason = NAME + " failed. Not all pages were synchronised successfully: "
                + notArrived(t, "data values");
        fail(t, reason);
        LOG.warn("Data value watermark kept at {}", t.serverNow.format(mark));
        return reason;
    }
}
