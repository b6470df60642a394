package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobProgress;

/**
 * Route steps of the end of a download: which ends of the collected relationships the local instance lacks (looked
 * up by UID, sync.download.pageSize at a time), which of those are fetched from central (queued for
 * {@link DownloadFetches}), then the relationships themselves, by reference, in import batches. A relationship
 * whose end could not be looked up or fetched waits: its owner's window is held there, so the next run reads it
 * again.
 */
public final class DownloadRelationships {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int pageSize;
    private final DownloadBookkeeping records;

    DownloadRelationships(int pageSize, DownloadBookkeeping records) {
        this.pageSize = pageSize;
        this.records = records;
    }

    /** After the tracked entities: the local look-ups of the ends this run did not download. */
    public void planEnds(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        if (!pass.byUid) {
            pass.relationships.dropUnchanged(records);
        }
        pass.relationships.planChecks(pass.downloaded, pageSize);
    }

    public boolean hasEndCheck(Exchange exchange) {
        return DownloadExchange.pass(exchange).relationships.hasCheck();
    }

    public void prepareEndCheck(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        DownloadExchange.clearForCall(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, DownloadQuery.localByUid(pass.localMinor,
                pass.relationships.nextCheck()));
    }

    public void readEndCheck(Exchange exchange) throws Exception {
        DownloadExchange.pass(exchange).relationships.checked(LocalState.of(JSON.readTree(
                exchange.getMessage().getBody(String.class))));
        DownloadExchange.clearForCall(exchange);
    }

    public void endCheckFailed(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        pass.relationships.checkFailed();
        pass.run.recordFailure("tracker download: the local DHIS2 could not be asked for relationship ends: "
                + DownloadExchange.caught(exchange));
    }

    /** The ends to fetch from central one by one, without their own relationships. */
    public void planEndFetches(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        pass.fetchStage = null;
        for (String te : pass.relationships.missing(pass.downloaded)) {
            pass.fetchQueue.add(new DownloadPass.Fetch(te, null, DownloadQuery.END_FIELDS, false));
        }
    }

    /** The relationships whose ends are known, in import batches; the others wait for the next run. */
    public void queueRelationships(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        List<RelationshipEnds.Collected> waiting = new ArrayList<>();
        List<RelationshipEnds.Collected> ready = new ArrayList<>(pass.relationships.ready(waiting));
        // only tracked entity ends tell the local change times of a relationship; others are left out
        ready.removeIf(c -> {
            if (c.ends().isEmpty()) {
                pass.skipped.add("relationship " + c.uid() + ": no tracked entity end (not downloaded)");
                return true;
            }
            return false;
        });
        for (RelationshipEnds.Collected c : waiting) {
            DownloadPass.Cursor cursor = pass.relationships.cursorOfOwner(c.owner());
            if (cursor != null) {
                cursor.hold(c.centralUpdatedAt());
            }
            pass.notArrived++;
        }
        if (!waiting.isEmpty()) {
            pass.run.recordFailure("tracker download: " + waiting.size() + " relationships wait for an end that "
                    + "could not be read (downloaded again next run)");
        }
        if (ready.isEmpty()) {
            return;
        }
        JobProgress.Stage stage = pass.process.startStage("Importing relationships", 0,
                JobProgress.FailurePolicy.SKIP_ITEM);
        for (int i = 0; i < ready.size(); i += pageSize) {
            List<RelationshipEnds.Collected> part = ready.subList(i, Math.min(ready.size(), i + pageSize));
            List<ObjectNode> refs = new ArrayList<>();
            part.forEach(c -> refs.add(c.ref()));
            DownloadBatch b = new DownloadBatch(DownloadBatch.Kind.RELATIONSHIPS, part.size() + " relationships",
                    null, refs, stage.startItem("Import of " + part.size() + " relationships"));
            b.localTrackedEntities.addAll(pass.relationships.ends(part));
            pass.batches.add(b);
        }
    }
}
