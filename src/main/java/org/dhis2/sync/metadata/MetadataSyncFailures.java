package org.dhis2.sync.metadata;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How META_DATA_SYNC records a failure: bookkeeping, progress tree, job run, and the "Action Required" mail. */
final class MetadataSyncFailures {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataSyncFailures.class);

    private MetadataSyncFailures() {
    }

    /**
     * The job caught a failure (from a push stage or the pull): records it (the failed version in metadata_version,
     * the progress tree, the run) and prepares the failure mail.
     */
    static void failed(Exchange exchange, MetadataVersionBookkeeping bookkeeping) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String message = e == null ? "unknown failure" : e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof org.apache.camel.http.base.HttpOperationFailedException http
                && http.getUri() != null && http.getUri().contains("/api/metadata/sync")) {
            message = LocalSyncAnswer.explainServerError(http.getStatusCode(), http.getResponseBody());
        }
        MetadataSyncState state = exchange.getVariable(MetadataSyncState.VARIABLE, MetadataSyncState.class);
        JobRun run = JobCoordinator.currentRun(exchange, "direct:stage.metadataVersions");
        String category;
        RemoteVersion version = null;
        if (e instanceof MetadataSyncException mse) {
            category = mse.category();
        } else {
            category = state == null ? "data push" : state.phase;
        }
        if (state != null) {
            version = "metadata sync".equals(category) ? state.current : null;
            if (state.stage != null) {
                state.stage.fail(message);
            }
            JobProgress.Process process = state.synchronization != null ? state.synchronization : state.comparison;
            if (process != null) {
                process.fail(message);
            }
            if (state.comparison != null) {
                state.comparison.fail(message);
            }
        }
        String report = state != null && state.lastJudgement != null ? state.lastJudgement.report().toString() : null;
        if (version != null) {
            bookkeeping.recordFailed(version, Instant.now(), message, report);
        }
        if (state != null && state.comparison != null) {
            MetadataVersionSync.report(state, version == null ? 0 : 1, false);
        }
        run.recordFailure((version == null ? "Metadata sync failed (" + category + ")"
                : "Metadata sync failed at " + version.name()) + ": " + message);
        StringBuilder body = new StringBuilder("Metadata synchronization failed.\n\nCategory: ").append(category);
        if (version != null) {
            body.append("\nVersion: ").append(version.name()).append(" (").append(version.type()).append(")");
        }
        body.append("\nMessage: ").append(message);
        if (state != null && state.lastJudgement != null && !state.lastJudgement.errors().isEmpty()) {
            body.append("\n\nImport errors:\n- ").append(String.join("\n- ", state.lastJudgement.errors()));
        }
        exchange.setVariable(MetadataVersionSync.MAIL_SUBJECT, MetadataVersionSync.FAILURE_SUBJECT);
        exchange.setVariable(MetadataVersionSync.MAIL_BODY, body.append('\n').toString());
        LOG.warn("META_DATA_SYNC failed ({}): {}", category, message);
    }

    /** A push stage recorded a failure: metadata is not pulled; the failure mail names the data push. */
    static void dataPushFailed(Exchange exchange) {
        JobRun run = JobCoordinator.currentRun(exchange, "META_DATA_SYNC");
        String failures = String.join("; ", run.failures());
        String message = "Metadata was not synchronized because the data push did not complete"
                + (failures.isEmpty() ? "." : ": " + failures);
        run.progress().startProcess("Starting Metadata version comparison").fail(message);
        exchange.setVariable(MetadataVersionSync.MAIL_SUBJECT, MetadataVersionSync.FAILURE_SUBJECT);
        exchange.setVariable(MetadataVersionSync.MAIL_BODY, "Metadata synchronization failed.\n\nCategory: data push\nMessage: "
                + message + "\n");
        LOG.warn("META_DATA_SYNC: {}", message);
    }
}
