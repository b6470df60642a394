package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;
import org.dhis2.sync.tracker.TrackerBookkeeping;
import org.dhis2.sync.tracker.TrackerPushStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window of a download run: opened on central's clock (and the versions of both instances read), closed by
 * moving each program's watermark only past what was read and arrived, with the run's summary, status and metrics
 * (also when the stage fails before paging).
 */
final class DownloadWindow {

    // the stage's logger: its lines keep the name they always had
    private static final Logger LOG = LoggerFactory.getLogger(TrackerDownloadStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAGE = TrackerDownloadStage.STAGE;

    private final TrackerBookkeeping books;

    DownloadWindow(TrackerBookkeeping books) {
        this.books = books;
    }

    /** After GET /api/system/info of central: the window's end on central's clock, central's version. */
    void open(Exchange exchange) throws Exception {
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + STAGE);
        JsonNode info = JSON.readTree(exchange.getMessage().getBody(String.class));
        Instant upper = TrackerPushStage.serverDate(info, "central");
        DownloadPass pass = new DownloadPass(run, run.progress().startProcess("Tracker data download"), upper,
                DownloadExchange.minor(info));
        DownloadRequest request = exchange.getProperty(DownloadRequest.PROPERTY, DownloadRequest.class);
        if (request != null) {
            pass.byUid = true;
            pass.uidProgram = request.program();
            request.trackedEntities().forEach(uid -> pass.fetchQueue.add(new DownloadPass.Fetch(uid,
                    request.program(), DownloadQuery.FIELDS, true)));
        }
        exchange.setVariable(DownloadPass.VARIABLE, pass);
        DownloadExchange.clearForCall(exchange);
    }

    /** After GET /api/system/info of the local instance: its version (query names). */
    void localInfo(Exchange exchange) throws Exception {
        DownloadExchange.pass(exchange).localMinor = DownloadExchange.minor(JSON.readTree(
                exchange.getMessage().getBody(String.class)));
        DownloadExchange.clearForCall(exchange);
    }

    /** A failure before paging (availability, system info, programs): nothing is downloaded. */
    void stageFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "unknown failure" : e.getMessage();
        JobRun run = JobCoordinator.currentRun(exchange, "stage." + STAGE);
        DownloadPass pass = exchange.getVariable(DownloadPass.VARIABLE, DownloadPass.class);
        (pass != null ? pass.process : run.progress().startProcess("Tracker data download")).fail(reason);
        run.recordFailure("Tracker data download failed: " + reason);
        run.recordStage(StageOutcome.of(STAGE, pass == null ? 0 : pass.read, 0, 0, 0,
                pass == null ? Instant.now() : pass.process.getStartedTime(), false));
        LOG.warn("Tracker data download failed: {}", reason);
    }

    /**
     * End of the run: each program's watermark moves to the window's end, or to where the limit stopped the
     * download, but never past a page that failed or an object that did not arrive; the status rule on the figures.
     */
    void close(Exchange exchange) {
        DownloadPass pass = DownloadExchange.pass(exchange);
        for (DownloadPass.Cursor c : pass.cursors) {
            c.nextWatermark(pass.upper).ifPresent(next -> books.advanceWatermark(
                    TrackerDownloadStage.WATERMARK_PREFIX + c.program.uid(), next));
        }
        for (JobProgress.Stage stage : pass.process.getStages()) {
            if (!stage.isComplete()) { // the fetch and relationship stages end with the run
                stage.complete(stage.getItems().size() + " items");
            }
        }
        String summary = pass.summary();
        if (!pass.skipped.isEmpty()) {
            pass.run.recordNote(pass.skippedList() + ".");
        }
        if (pass.rejected > 0) {
            pass.run.recordFailure(pass.rejected + " objects rejected by the local DHIS2 (conflicts recorded)");
        }
        if (pass.notArrived > 0) {
            pass.run.recordFailure(pass.notArrived + " objects did not arrive (downloaded again next run)");
        }
        if (pass.run.failures().isEmpty()) {
            pass.process.complete(summary);
        } else {
            pass.process.fail(summary);
        }
        pass.run.recordStage(StageOutcome.of(STAGE, pass.offered, pass.imported + pass.warnings + pass.rejected,
                pass.rejected, pass.pagesFailed, pass.process.getStartedTime(), pass.run.failures().isEmpty()));
        LOG.info("Tracker data download: {}", summary);
    }
}
