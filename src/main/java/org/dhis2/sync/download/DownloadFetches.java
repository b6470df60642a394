package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.DownloadSettings;
import org.dhis2.sync.job.JobProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route steps that fetch single tracked entities from central ({@code /api/tracker/trackedEntities/{uid}}): those
 * an operator asked for by UID, and the ends of downloaded relationships that are neither local nor downloaded.
 * OPEN and AUDITED programs need nothing more; a PROTECTED program's tracked entity owned outside the capture scope
 * is refused by central until a temporary ownership override ("break the glass") is granted, which is asked only
 * when sync.download.breakTheGlassReason is set, and every one is written to the audit trail (ownership_override).
 * CLOSED programs are refused before anything is fetched.
 */
public final class DownloadFetches {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadFetches.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DownloadBookkeeping records;
    private final DownloadSettings settings;

    DownloadFetches(DownloadBookkeeping records, DownloadSettings settings) {
        this.records = records;
        this.settings = settings;
    }

    /** By UID: the program asked for must be a tracker program of central, and not CLOSED. */
    void checkRequestedProgram(DownloadPass pass) {
        if (pass.uidProgram == null) {
            return;
        }
        DownloadPass.Program p = pass.programs.get(pass.uidProgram);
        if (p == null) {
            throw new IllegalStateException("program '" + pass.uidProgram + "' is not a tracker program of the "
                    + "central DHIS2");
        }
        if ("CLOSED".equals(p.accessLevel())) {
            throw new IllegalStateException("program '" + p.uid() + "' is CLOSED: DHIS2 grants no access to its "
                    + "tracked entities outside their owner org units, not even by an ownership override; nothing "
                    + "was downloaded");
        }
    }

    /** Loop condition: another tracked entity to fetch. */
    public boolean hasFetch(Exchange exchange) {
        return !DownloadExchange.pass(exchange).fetchQueue.isEmpty();
    }

    /** Takes the next tracked entity to fetch. */
    public void next(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        pass.fetching = pass.fetchQueue.poll();
        pass.overrideNeeded = false;
        pass.overrideGranted = false;
        if (pass.fetchStage == null) {
            pass.fetchStage = pass.process.startStage(pass.fetching.asked() ? "Downloading tracked entities by UID"
                    : "Fetching the tracked entities of relationship ends", 0, JobProgress.FailurePolicy.SKIP_ITEM);
        }
    }

    /** The call of {@code GET /api/tracker/trackedEntities/{uid}} on central. */
    public void prepareFetch(Exchange exchange) {
        DownloadPass.Fetch f = DownloadExchange.pass(exchange).fetching;
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/" + f.uid());
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, DownloadQuery.one(f.program(), f.fields()));
    }

    /** Central's answer: the tracked entity, or a refusal (ownership, not found, no access). */
    public void readFetched(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadPass.Fetch f = pass.fetching;
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        JsonNode body = JSON.readTree(exchange.getMessage().getBody(String.class));
        DownloadExchange.clearForCall(exchange);
        if (status == 200 && body.path("trackedEntity").isTextual()) {
            pass.fetched.add((ObjectNode) body);
            pass.read++;
            pass.fetchStage.startItem(f.uid()).complete("read from central" + (pass.overrideGranted
                    ? " after an ownership override" : ""));
            return;
        }
        String message = body.path("message").asText("HTTP " + status);
        DownloadPass.Program program = f.program() == null ? null : pass.programs.get(f.program());
        if (ownershipDenied(pass, status, message) && f.asked() && !pass.overrideGranted && program != null
                && "PROTECTED".equals(program.accessLevel())) {
            if (settings.overrideReason().isPresent()) {
                pass.overrideNeeded = true;
                return;
            }
            failed(pass, f, "central refused it (" + message + "): it is owned outside the capture scope of the "
                    + "PROTECTED program " + program.uid() + "; set sync.download.breakTheGlassReason to let the "
                    + "engine ask central for a temporary ownership override");
            return;
        }
        failed(pass, f, "central answered " + status + ": " + message);
    }

    /**
     * Central's way of saying the tracked entity is owned outside the user's reach (DL-5): 401 (2.39/2.40) or 403
     * (2.41) with OWNERSHIP_ACCESS_DENIED, and 2.42 answers 404 because its read is a search.
     */
    private static boolean ownershipDenied(DownloadPass pass, int status, String message) {
        return (status == 401 || status == 403) && message.contains("OWNERSHIP_ACCESS_DENIED")
                || status == 404 && pass.centralMinor >= 42;
    }

    /** Filter: central asked for an ownership override and the operator allowed one. */
    public boolean needsOverride(Exchange exchange) {
        return DownloadExchange.pass(exchange).overrideNeeded;
    }

    /** {@code POST /api/tracker/ownership/override} with the configured reason. */
    public void prepareOverride(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, DownloadQuery.override(pass.centralMinor,
                pass.fetching.uid(), pass.fetching.program(), settings.overrideReason().orElseThrow()));
    }

    /** Central's answer to the override, written to the audit trail; granted: the tracked entity is read again. */
    public void overrideAnswered(Exchange exchange) throws Exception {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadPass.Fetch f = pass.fetching;
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        String message = JSON.readTree(exchange.getMessage().getBody(String.class)).path("message")
                .asText("HTTP " + status);
        DownloadExchange.clearForCall(exchange);
        boolean granted = status == 200;
        records.recordOverride(pass.run.id(), f.uid(), f.program(), settings.overrideReason().orElseThrow(), granted,
                message);
        LOG.info("trackerDownload: ownership override of tracked entity {} in program {}: {} ({})", f.uid(),
                f.program(), granted ? "granted" : "refused", message);
        pass.overrideNeeded = false;
        pass.overrideGranted = granted;
        if (!granted) {
            failed(pass, f, "central refused the ownership override: " + message);
        }
    }

    /** Filter: fetch again after a granted override. */
    public boolean fetchAgain(Exchange exchange) {
        return DownloadExchange.pass(exchange).overrideGranted;
    }

    /** The fetch failed after its retries. */
    public void fetchFailed(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        failed(pass, pass.fetching, DownloadExchange.caught(exchange));
    }

    private void failed(DownloadPass pass, DownloadPass.Fetch f, String reason) {
        pass.fetchStage.startItem(f.uid()).fail(reason);
        if (f.asked()) {
            pass.notArrived++;
            pass.offered++;
            pass.run.recordFailure("tracker download: tracked entity " + f.uid() + " not downloaded: " + reason);
        } else {
            pass.relationships.unreachable(f.uid());
        }
        LOG.warn("trackerDownload: tracked entity {} not fetched: {}", f.uid(), reason);
    }

    /** Queues what was fetched for import, pageSize at a time (imported even if unchanged since downloaded). */
    public void queueFetched(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        List<ObjectNode> all = new ArrayList<>(pass.fetched);
        pass.fetched.clear();
        for (int i = 0; i < all.size(); i += settings.pageSize()) {
            List<ObjectNode> part = all.subList(i, Math.min(all.size(), i + settings.pageSize()));
            DownloadBatch b = new DownloadBatch(DownloadBatch.Kind.TRACKED_ENTITIES, part.size()
                    + " tracked entities fetched from central", null, new ArrayList<>(part),
                    pass.fetchStage.startItem("Import of " + part.size() + " tracked entities"));
            b.force = true;
            pass.batches.add(b);
        }
    }
}
