package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.tracker.TrackerPushStage.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window of a tracker stage's run: opened from the local server's clock, closed by moving the watermark only
 * past settled objects, with the run's summary, status and metrics (also when the stage fails before paging).
 */
final class TrackerWindow {

    // the stage's logger: its lines keep the name they always had
    private static final Logger LOG = LoggerFactory.getLogger(TrackerPushStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mode mode;
    private final TrackerBookkeeping books;
    private final Instant skipChangedBefore;
    private final Duration windowOverlap;
    private final AdaptivePageSizes pageSizes;
    private final int pageSize;
    private final int minPageSize;

    TrackerWindow(Mode mode, TrackerBookkeeping books, Instant skipChangedBefore, Duration windowOverlap,
                  AdaptivePageSizes pageSizes, int pageSize, int minPageSize) {
        this.mode = mode;
        this.books = books;
        this.skipChangedBefore = skipChangedBefore;
        this.windowOverlap = windowOverlap;
        this.pageSizes = pageSizes;
        this.pageSize = pageSize;
        this.minPageSize = minPageSize;
    }

    /**
     * After GET /api/system/info of the local instance: the window [watermark - overlap, serverDate], the local
     * version (the export's scope parameter), the progress process.
     */
    void open(Exchange exchange, boolean programsConfigured) throws Exception {
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + mode.stage);
        JsonNode info = JSON.readTree(exchange.getMessage().getBody(String.class));
        Instant upper = TrackerPushStage.serverDate(info, "local");
        Instant watermark = books.watermark(mode.stage).orElse(null);
        Instant lower = TrackerReadQuery.windowStart(watermark, windowOverlap, skipChangedBefore);
        JobProgress.Process process = run.progress().startProcess(mode.description);
        TrackerPass pass = new TrackerPass(run, process, lower, upper, SkipSyncFields.none());
        pass.previousWatermark = watermark;
        pass.localMinor = TrackerReadQuery.minorVersion(info.path("version").asText(null));
        pass.scopeParam = mode == Mode.EVENTS || programsConfigured ? "program" : "trackedEntityType";
        pageSizes.startRun(mode.stage, pageSize, minPageSize);
        exchange.setVariable(TrackerPass.VARIABLE, pass);
        LOG.info("{}: window {} .. {} (local server clock)", mode.stage, lower == null ? "beginning" : lower, upper);
        TrackerExchange.clearForCall(exchange);
    }

    /** A failure before paging (availability, system info, metadata): the stage ends without reading anything. */
    void stageFailed(Exchange exchange) {
        String reason = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class) == null ? "unknown failure"
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage();
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + mode.stage);
        TrackerPass pass = exchange.getVariable(TrackerPass.VARIABLE, TrackerPass.class);
        (pass != null ? pass.process : run.progress().startProcess(mode.description)).fail(reason);
        run.recordFailure(mode.description + " failed: " + reason);
        run.recordStage(pass == null ? StageOutcome.of(mode.metric, 0, 0, 0, 0, Instant.now(), false)
                : outcome(pass));
        LOG.warn("{} failed: {}", mode.description, reason);
    }

    /** End of the stage: the watermark moves to the window end or to the oldest unsettled object. */
    void close(Exchange exchange) {
        TrackerPass pass = TrackerExchange.pass(exchange);
        TrackerBatches.batchSettled(exchange);
        if (pass.stage != null && !pass.stage.isComplete()) {
            pass.stage.complete(pass.pageNumber + " pages");
        }
        Instant next = pass.upper;
        if (pass.oldestUnsettled != null && pass.oldestUnsettled.isBefore(next)) {
            next = pass.oldestUnsettled;
        }
        if (!pass.unsettledFromStart) {
            books.advanceWatermark(mode.stage, next);
        }
        String summary = pass.sent + " " + mode.noun + " sent: " + pass.synced + " synced, " + pass.warnings
                + " accepted with warnings, " + pass.errors + " rejected, " + pass.unsettled + " did not arrive";
        // the status rule: accepted (warnings included) is success; rejected or not arrived fails the job
        if (pass.errors > 0) {
            pass.run.recordFailure(pass.errors + " " + mode.noun + " rejected by central (conflicts recorded)");
        }
        if (pass.unsettled > 0 || pass.unsettledFromStart) {
            pass.run.recordFailure(pass.unsettled + " " + mode.noun + " did not arrive (sent again next run)");
            pass.process.fail(summary);
        } else if (pass.run.failures().isEmpty()) {
            pass.process.complete(summary);
        } else {
            pass.process.fail(summary);
        }
        pass.run.recordStage(outcome(pass));
        LOG.info("{}: {}; next window starts at {}", mode.description, summary,
                pass.unsettledFromStart ? "the same place" : next);
    }

    /** The stage's numbers for the metrics; settled = confirmed by central (synced) or rejected as a conflict. */
    private StageOutcome outcome(TrackerPass pass) {
        return StageOutcome.of(mode.metric, pass.sent, pass.synced + pass.errors + pass.warnings,
                pass.errors + pass.warnings, pass.pagesFailed, pass.process.getStartedTime(),
                pass.process.getStatus() == JobProgress.Status.SUCCESS);
    }
}
