package org.dhis2.sync.aggregate;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p>The window reaches back {@code sync.window.overlapSeconds} before the watermark: DHIS2 stores a data value's
 * {@code lastUpdated} to the whole second and takes it before its import commits, so a change can become visible
 * with a time before the previous window's end. What was sent with a change time in that overlap is remembered
 * ({@link OverlapMemory}), so a value read again unchanged is not sent again. Everything a run knows lives in its
 * {@link StageTally} (an exchange property): this bean is shared by every run.
 */
public final class DataValueSync extends PagedPushStage<DataValue, DataValuePage> {

    public static final String STAGE = "dataValues";
    public static final String KIND = "dataValue";
    private static final String NAME = "DataValueSynchronization";
    private static final Logger LOG = LoggerFactory.getLogger(DataValueSync.class);

    private final int pageSize;
    private final Optional<Instant> skipChangedBefore;
    private final String centralUrl;
    private final Duration overlap;
    private final OverlapMemory memory;
    private final boolean csv;

    public DataValueSync(AggregateBookkeeping bookkeeping, OverlapMemory memory, int pageSize,
                         Optional<Instant> skipChangedBefore, Duration overlap, String centralUrl,
                         org.dhis2.sync.load.AdaptivePageSizes pageSizes, int minPageSize) {
        this(bookkeeping, memory, pageSize, skipChangedBefore, overlap, centralUrl, pageSizes, minPageSize, false);
    }

    /** @param csv send pages as application/csv (sync.dataValues.format=csv) instead of JSON */
    public DataValueSync(AggregateBookkeeping bookkeeping, OverlapMemory memory, int pageSize,
                         Optional<Instant> skipChangedBefore, Duration overlap, String centralUrl,
                         org.dhis2.sync.load.AdaptivePageSizes pageSizes, int minPageSize, boolean csv) {
        super(bookkeeping, STAGE, KIND, NAME, "values", DataValuePage.class, pageSizes, minPageSize);
        this.memory = memory;
        this.pageSize = pageSize;
        this.skipChangedBefore = skipChangedBefore;
        this.overlap = overlap;
        this.centralUrl = centralUrl;
        this.csv = csv;
    }

    /** CSV carries the same per-value fields (deleted included) and DHIS2 reports conflicts by row index. */
    @Override
    protected byte[] body(DataValuePage page) {
        return csv ? page.toCsv() : page.toJson();
    }

    /** application/csv, not text/csv: DHIS2's DataValueSetController consumes only the former for CSV. */
    @Override
    public String contentType() {
        return csv ? "application/csv" : "application/json";
    }

    /**
     * After {@code GET /api/system/info} of the local instance: the window is {@code [max(watermark - overlap,
     * skipChangedBefore), serverDate]}; returns the lower bound as the export's {@code lastUpdated} parameter.
     */
    public String openWindow(Exchange exchange) {
        StageTally t = tally(exchange);
        t.serverNow = ServerTime.fromSystemInfo(exchange.getMessage().getBody(String.class));
        Instant from = bookkeeping.watermarkWithAge(STAGE).map(w -> lowerBound(w, t.serverNow.instant())
                .minus(overlap)).orElse(Instant.EPOCH);
        if (skipChangedBefore.isPresent() && skipChangedBefore.get().isAfter(from)) {
            from = skipChangedBefore.get();
        }
        t.from = from;
        t.rememberFrom = t.serverNow.instant().minus(overlap).toEpochMilli();
        JobProgress.Stage counting = t.process.startStage("Counting data values", 0, JobProgress.FailurePolicy.FAIL);
        counting.complete("DataValues last changed before " + t.serverNow.format(from) + " (local server time) "
                + "will not be synchronized. Window up to " + t.serverNow.format(t.serverNow.instant())
                + (overlap.isZero() ? "." : ", reaching " + overlap.toSeconds() + " s back into the previous one."));
        t.openConflicts = new HashMap<>(bookkeeping.openConflicts(KIND));
        t.sentInOverlap = memory.load(STAGE);
        return t.serverNow.format(from);
    }

    /**
     * The window's lower bound before the overlap: the watermark, unless the local server's clock went back since
     * it was written (NTP step, manual correction). Then values changed after the step carry times before the
     * watermark, so the window starts where the server's clock stood when the watermark was written, as far as can
     * be told: server now minus the time elapsed since (bookkeeping clock), minus a minute of margin.
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
    public java.util.Iterator<DataValuePage> pages(Exchange exchange) throws Exception {
        StageTally t = tally(exchange);
        int startSize = startPageSize(pageSize);
        t.pagesStage = t.process.startStage("DataValues changed since " + t.serverNow.format(t.from)
                + " to synchronize. Remote server URL for DataValues POST sync: " + centralUrl
                + "/api/dataValueSets. Page size: " + startSize + (startSize < pageSize ? " (learned from central; "
                + "configured " + pageSize + ")" : ""), -1, JobProgress.FailurePolicy.SKIP_ITEM);
        InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
        @SuppressWarnings("unchecked")
        Map<String, java.util.Set<String>> dataSetsOf = exchange.getVariable(AggregateScope.DATA_SETS_OF_ELEMENTS,
                Map.class);
        return untilStopped(t, new DataValueExportReader(in, () -> currentPageSize(pageSize), v -> send(t, v),
                dataSetsOf == null ? Map.of() : dataSetsOf));
    }

    /** False for a value already judged (open conflict for this very change) or sent unchanged in the overlap. */
    static boolean send(StageTally t, DataValue v) {
        synchronized (t) { // pages in flight judge values (openConflicts) while the export is read
            return sendLocked(t, v);
        }
    }

    private static boolean sendLocked(StageTally t, DataValue v) {
        if (t.openConflicts.isEmpty() && t.sentInOverlap.isEmpty()) {
            return true; // no key to build per value when there is nothing to compare with
        }
        String key = v.key();
        Instant rejected = t.openConflicts.get(key);
        if (rejected != null) {
            if (v.dated() && rejected.toEpochMilli() == v.lastUpdated()) {
                t.skipped++;
                return false;
            }
            return true; // changed since central rejected it, or an operator asked to send it again
        }
        OverlapMemory.Sent sent = t.sentInOverlap.get(key);
        if (sent != null && v.dated() && sent.lastUpdated() == v.lastUpdated()
                && sent.fingerprint().equals(v.fingerprint())) {
            t.unchangedInOverlap++;
            return false;
        }
        return true;
    }

    @Override
    protected String pageDescription(DataValuePage page) {
        return "Synchronizing page " + page.number() + " with " + page.values().size() + " data values (page size "
                + currentPageSize(pageSize) + ")";
    }

    @Override
    protected DataValuePage part(DataValuePage page, List<DataValue> values) {
        return new DataValuePage(page.number(), values, page.dataSetsOf());
    }

    @Override
    protected String pageLabel(DataValuePage page) {
        return "Data values page " + page.number();
    }

    /** A rejected value stays an open conflict until it changes; an accepted value closes its open conflict. */
    @Override
    protected AggregateBookkeeping.ItemState judged(StageTally t, DataValue v, ImportJudgement.Conflict c) {
        Instant changed = v.dated() ? Instant.ofEpochMilli(v.lastUpdated()) : null;
        if (c != null) {
            if (changed != null) {
                t.openConflicts.put(v.key(), changed);
            }
            return new AggregateBookkeeping.ItemState(v.key(), changed, "ERROR",
                    (c.errorCode() == null ? "" : c.errorCode() + " ") + c.value(), null);
        } else if (!t.openConflicts.isEmpty() && t.openConflicts.remove(v.key()) != null) {
            return new AggregateBookkeeping.ItemState(v.key(), changed, "SYNCED", null, null);
        }
        return null;
    }

    /** Values changed within the overlap of the next window are remembered with their content. */
    @Override
    protected void pageSettled(StageTally t, DataValuePage page) {
        if (overlap.isZero()) {
            return;
        }
        List<OverlapMemory.Row> rows = new ArrayList<>();
        for (DataValue v : page.values()) {
            if (v.dated() && v.lastUpdated() >= t.rememberFrom) {
                rows.add(new OverlapMemory.Row(v.key(), v.lastUpdated(), v.fingerprint()));
            }
        }
        memory.remember(STAGE, rows);
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
        Instant mark = nextWatermark(t.serverNow.instant(), t.unsettledPages.isEmpty() ? Long.MAX_VALUE
                : t.oldestUnsettled);
        if (t.stopped) {
            mark = t.from; // the export is not in time order: what was not read may be older than anything sent
        } else {
            bookkeeping.setWatermark(STAGE, mark);
            memory.prune(STAGE, mark.minus(overlap));
        }
        String counts = counts(t, "data values") + (t.skipped == 0 ? ""
                : "; " + t.skipped + " unchanged rejected values not re-sent") + (t.unchangedInOverlap == 0 ? ""
                : "; " + t.unchangedInOverlap + " values read again in the window overlap, unchanged, not re-sent");
        LOG.info("Data value watermark at {}", t.serverNow.format(mark));
        return end(t, "data value", counts, t.sent == 0 && t.skipped == 0
                        ? "Skipping synchronization, no new or updated DataValues"
                        : "SUCCESS! " + NAME + " job is done. " + counts,
                NAME + " failed. Not all data values were accepted by central: ");
    }

    /** The window's upper bound, or the oldest change of a page that did not settle when that is earlier. */
    static Instant nextWatermark(Instant high, long oldestUnsettled) {
        return oldestUnsettled >= high.toEpochMilli() ? high : Instant.ofEpochMilli(oldestUnsettled);
    }
}
