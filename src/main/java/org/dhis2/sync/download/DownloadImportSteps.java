package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.dhis2.sync.download.DownloadBatch.Member;
import org.dhis2.sync.download.DownloadBookkeeping.Entry;
import org.dhis2.sync.download.DownloadBookkeeping.State;
import org.dhis2.sync.tracker.ImportReportJudge;
import org.dhis2.sync.tracker.SyncState;
import org.dhis2.sync.tracker.TrackerBookkeeping;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPushStage;
import org.dhis2.sync.tracker.TrackerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route steps of one import batch of the download (routes/tracker-download.camel.yaml, download.batch): ask the
 * local instance what it has, leave pending local work alone, import the rest between two readings of the local
 * clock, read back what changed and record it in the push bookkeeping as SYNCED at its new local updatedAt, so
 * the push stages see an import of ours as settled and a user's edit after it as a change.
 */
public final class DownloadImportSteps {

    static final String BATCH = "downloadBatch";
    private static final Logger LOG = LoggerFactory.getLogger(DownloadImportSteps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrackerBookkeeping books;
    private final DownloadBookkeeping records;
    private final DownloadDecisions decisions;

    DownloadImportSteps(TrackerBookkeeping books, DownloadBookkeeping records, PendingWork pending) {
        this.books = books;
        this.records = records;
        this.decisions = new DownloadDecisions(books, records, pending);
    }

    /** Loop condition: another batch waits. */
    public boolean hasBatch(Exchange exchange) {
        return !DownloadExchange.pass(exchange).batches.isEmpty();
    }

    /** Takes the next batch and asks the local instance for its tracked entities (or its relationships' ends). */
    public void prepareLocalRead(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadBatch b = pass.batches.poll();
        exchange.setVariable(BATCH, b);
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, DownloadQuery.localByUid(pass.localMinor,
                b.localTrackedEntities, DownloadQuery.LOCAL_CONTENT_FIELDS));
    }

    /** After the local read: decides what is imported, what is left alone (and why), builds the payload. */
    public void decide(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadBatch b = batch(exchange);
        LocalState local = LocalState.of(JSON.readTree(exchange.getMessage().getBody(String.class)));
        List<Entry> skips = new ArrayList<>();
        if (b.kind == DownloadBatch.Kind.TRACKED_ENTITIES) {
            decisions.trackedEntities(pass, b, local, skips);
        } else {
            decisions.relationships(pass, b, local, skips);
        }
        records.record(pass.run.id(), skips);
        DownloadExchange.clearForCall(exchange);
        if (b.payload == null) {
            b.item.complete(b.unchanged + " already on the local instance, " + b.skipped + " skipped, nothing to import");
        }
    }

    /** Filter: the batch has something to import. */
    public boolean hasImport(Exchange exchange) {
        return batch(exchange).payload != null;
    }

    /** After GET /api/system/info of the local instance, just before the import. */
    public void importStarts(Exchange exchange) throws Exception {
        batch(exchange).importStarted = DownloadExchange.serverDate(exchange, "local");
        DownloadExchange.clearForCall(exchange);
    }

    /** The import: {@code POST /api/tracker} of the batch's payload. */
    public void prepareImport(Exchange exchange) throws Exception {
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(batch(exchange).payload));
    }

    /** The local import report, judged per object. */
    public void judgeImport(Exchange exchange) throws Exception {
        JsonNode report = JSON.readTree(exchange.getMessage().getBody(String.class));
        try {
            batch(exchange).judge = ImportReportJudge.judge(report, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the local DHIS2 answered the import with "
                    + exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE) + " and no import report: "
                    + abbreviate(report.path("message").asText(report.toString())));
        }
        DownloadExchange.clearForCall(exchange);
    }

    /** After GET /api/system/info of the local instance, just after the import; then the read-back query. */
    public void importEnded(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadBatch b = batch(exchange);
        b.importEnded = DownloadExchange.serverDate(exchange, "local");
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, DownloadQuery.localByUid(pass.localMinor,
                b.localTrackedEntities));
    }

    /**
     * After the read-back: every object the local instance accepted and whose local updatedAt lies between the two
     * clock readings is ours: SYNCED in the push bookkeeping at that time. A later time is a user's edit, left for
     * the push. Rejected objects are recorded with their conflicts, and not downloaded again until central changes
     * them; objects the report does not mention did not arrive and are downloaded again.
     */
    public void record(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadBatch b = batch(exchange);
        LocalState after = LocalState.of(JSON.readTree(exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
        List<Settlement> settled = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Set<String> recordedTrackedEntities = new HashSet<>();
        int ok = 0;
        int warned = 0;
        int rejected = 0;
        int missing = 0;
        for (Member m : b.toRecord) {
            ImportReportJudge.Verdict v = b.judge.of(m.type(), m.uid());
            boolean top = m.type() == TrackerType.TRACKED_ENTITY || m.type() == TrackerType.RELATIONSHIP;
            String program = b.cursor == null ? pass.uidProgram : b.cursor.program.uid();
            if (v.state() == SyncState.SYNCED || v.state() == SyncState.WARNING) {
                Optional<Instant> local = after.updatedAt(m.type(), m.uid());
                boolean ours = local.isPresent() && ours(b, local.get());
                if (ours) {
                    settled.add(new Settlement(m.type(), m.uid(), local.get(), SyncState.SYNCED, false, null,
                            List.of()));
                    recordedTrackedEntities.add(m.type() == TrackerType.TRACKED_ENTITY ? m.uid() : "");
                }
                entries.add(new Entry(m.type(), m.uid(), program, m.centralUpdatedAt(), local.orElse(null),
                        State.DOWNLOADED, ours ? (v.state() == SyncState.WARNING ? "accepted with warnings" : null)
                        : notOurs(b, local.orElse(null)), v.conflicts()));
                if (top) {
                    if (v.state() == SyncState.WARNING) {
                        warned++;
                    } else {
                        ok++;
                    }
                }
            } else if (v.state() == SyncState.ERROR) {
                entries.add(new Entry(m.type(), m.uid(), program, m.centralUpdatedAt(), null, State.REJECTED,
                        v.conflicts().isEmpty() ? "rejected" : v.conflicts().get(0).value(), v.conflicts()));
                rejected++;
            } else if (top) {
                missing++;
                hold(pass, b, m);
            }
        }
        // the ends of imported relationships: DHIS2 moves their updatedAt (ours when nothing else touched them)
        for (String te : b.untouchedLocally) {
            Optional<Instant> local = after.updatedAt(TrackerType.TRACKED_ENTITY, te);
            if (!recordedTrackedEntities.contains(te) && local.isPresent() && ours(b, local.get())) {
                settled.add(new Settlement(TrackerType.TRACKED_ENTITY, te, local.get(), SyncState.SYNCED, false, null,
                        List.of()));
            }
        }
        books.settle(pass.run.id(), settled);
        records.record(pass.run.id(), entries);
        pass.offered += ok + warned + rejected + missing;
        pass.imported += ok;
        pass.warnings += warned;
        pass.rejected += rejected;
        pass.notArrived += missing;
        String summary = ok + " imported, " + warned + " with warnings, " + rejected + " rejected by the local DHIS2, "
                + missing + " not confirmed, " + b.skipped + " skipped (pending local work), " + b.unchanged
                + " unchanged";
        LOG.info("trackerDownload {}: {}", b.label, summary);
        if (missing > 0) {
            b.item.fail(summary);
        } else {
            b.item.complete(summary);
        }
    }

    /** The batch could not be imported (retries exhausted, unreadable answer): downloaded again next run. */
    public void batchFailed(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadBatch b = batch(exchange);
        String reason = DownloadExchange.caught(exchange);
        long lost = b.toRecord.stream().filter(m -> m.type() == TrackerType.TRACKED_ENTITY
                || m.type() == TrackerType.RELATIONSHIP).count();
        if (b.toRecord.isEmpty()) {
            lost = b.objects.size();
            if (b.cursor != null) {
                b.cursor.hold(b.objects.stream().map(DownloadImportSteps::time).filter(java.util.Objects::nonNull)
                        .min(Instant::compareTo).orElse(b.cursor.at));
            }
        }
        b.toRecord.forEach(m -> hold(pass, b, m));
        pass.notArrived += lost;
        pass.offered += lost;
        pass.pagesFailed++;
        b.item.fail(b.label + " was not imported: " + reason);
        pass.run.recordFailure("tracker download: " + b.label + " not imported into the local DHIS2: " + reason);
        LOG.warn("trackerDownload: {} not imported: {}", b.label, reason);
    }

    private static void hold(DownloadPass pass, DownloadBatch b, Member m) {
        DownloadPass.Cursor c = b.cursor != null ? b.cursor : pass.relationships.cursorOfOwner(m.owner());
        if (c != null) {
            c.hold(m.centralUpdatedAt());
        }
    }

    /** Why an accepted object's local change time is not the import's: untouched by it, or edited after it. */
    private static String notOurs(DownloadBatch b, Instant localUpdatedAt) {
        if (localUpdatedAt == null) {
            return "not found on the local instance after the import";
        }
        return localUpdatedAt.isBefore(b.importStarted) ? "left unchanged by the local import (e.g. already there)"
                : "changed on the local instance after the import: left for the push";
    }

    private static boolean ours(DownloadBatch b, Instant localUpdatedAt) {
        return !localUpdatedAt.isBefore(b.importStarted) && !localUpdatedAt.isAfter(b.importEnded);
    }

    static Instant time(JsonNode o) {
        return TrackerPushStage.parseTime(o.path("updatedAt").asText(o.path("lastUpdated").asText(null)));
    }

    private static DownloadBatch batch(Exchange exchange) {
        DownloadBatch b = exchange.getVariable(BATCH, DownloadBatch.class);
        if (b == null) {
            throw new IllegalStateException("no download batch on this exchange");
        }
        return b;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
