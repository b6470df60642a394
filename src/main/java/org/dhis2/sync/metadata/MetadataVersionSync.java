package org.dhis2.sync.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the metadata version pull (routes/metadata-versions.camel.yaml); the route makes the HTTP calls.
 * Baseline = the local instance's current version (it registers every version it applies), else the newest version
 * this engine imported (versions applied before the local server registered them). Versions are applied strictly in
 * creation order: each snapshot is downloaded and verified here first (MD5, DHIS2 version), then the local server is
 * asked to apply it through its own {@code GET /api/metadata/sync?versionName=} (it pulls the version from the server
 * of its keyRemoteInstanceUrl settings, imports it and registers it) and its answer is judged
 * ({@link LocalSyncAnswer}); the first version that does not go in stops the pull and is recorded as FAILED.
 */
public final class MetadataVersionSync {

    /** The stage label of the metrics. */
    public static final String STAGE = "metadataVersions";
    public static final String MAIL_SUBJECT = "mailSubject";
    public static final String MAIL_BODY = "mailBody";
    static final String SUCCESS_SUBJECT = "Success Notification: Metadata Synchronization";
    static final String FAILURE_SUBJECT = "Action Required: MetadataSync Failed Notification";
    private static final Logger LOG = LoggerFactory.getLogger(MetadataVersionSync.class);

    private final MetadataVersionBookkeeping bookkeeping;
    private final boolean stopIfVersionsDiffer;

    public MetadataVersionSync(MetadataVersionBookkeeping bookkeeping, boolean stopIfVersionsDiffer) {
        this.bookkeeping = bookkeeping;
        this.stopIfVersionsDiffer = stopIfVersionsDiffer;
    }

    /** Starts the comparison process: "Getting current version". */
    public void begin(Exchange exchange) {
        JobRun run = JobCoordinator.currentRun(exchange, "direct:stage.metadataVersions");
        MetadataSyncState state = new MetadataSyncState(run);
        state.comparison = run.progress().startProcess("Starting Metadata version comparison");
        state.stage = state.comparison.startStage("Getting current version", 0, JobProgress.FailurePolicy.FAIL);
        exchange.setVariable(MetadataSyncState.VARIABLE, state);
    }

    /** Local {@code /api/system/info}: the DHIS2 version the snapshots are compared with. */
    public void readLocalSystem(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        state.localDhis2Version = json(take(exchange)).path("version").asText("").trim();
    }

    /**
     * Local {@code /api/metadata/versions}: the local instance's current version is the newest by creation, as
     * DHIS2's getCurrentVersion. Versioning switched off (400) means it has none. Sets the variable
     * {@code metadataLocalVersion} (null when none) and decides the baseline.
     */
    public void readLocalVersions(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        int status = status(exchange);
        String body = take(exchange);
        List<RemoteVersion> local = List.of();
        if (status == 200) {
            local = RemoteVersion.listInCreationOrder(json(body));
        } else if (status != 400) {
            throw new MetadataSyncException("current version", "The local DHIS2 answered HTTP " + status
                    + " when asked for its metadata versions: " + json(body).path("message").asText(body));
        }
        state.localCurrentVersion = local.isEmpty() ? null : local.get(local.size() - 1).name();
        state.localCurrentHash = local.isEmpty() ? null : local.get(local.size() - 1).hash();
        Optional<String> imported = state.localCurrentVersion == null ? bookkeeping.baseline() : Optional.empty();
        state.baseline = state.localCurrentVersion != null ? state.localCurrentVersion : imported.orElse(null);
        exchange.setVariable("metadataLocalVersion", state.localCurrentVersion);
        state.stage.complete("Local DHIS2 " + state.localDhis2Version + "; current version "
                + (state.localCurrentVersion == null ? "none" : state.localCurrentVersion) + "; baseline "
                + (state.baseline == null ? "none (first sync)" : state.baseline
                + (imported.isPresent() ? " (last imported by dhis2-sync; the local DHIS2 has no version registered)"
                : " (the local DHIS2's current version)")));
    }

    /**
     * Central's {@code /api/metadata/versions}: the local instance's current version must be one of central's,
     * with the same hash. Otherwise it was created on the local instance (DHIS2's documented unsupported case).
     */
    public void guard(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        String local = state.localCurrentVersion;
        List<RemoteVersion> central = RemoteVersion.listInCreationOrder(json(take(exchange)));
        Optional<RemoteVersion> same = central.stream().filter(v -> v.name().equals(local)).findFirst();
        String advice = " This happens when a metadata version is created on the local instance itself "
                + "(Maintenance → Metadata versioning → Create), which DHIS2 does not support on an instance that "
                + "receives its metadata from a central one. Nothing was imported. To fix it, remove the locally "
                + "created version from the local instance (or restore the local instance's metadata from central) "
                + "and run META_DATA_SYNC again.";
        if (same.isEmpty()) {
            throw new MetadataSyncException("current version", "The local DHIS2's current metadata version " + local
                    + " does not exist on the central DHIS2." + advice);
        }
        String localHash = state.localCurrentHash;
        if (localHash != null && same.get().hash() != null && !localHash.equals(same.get().hash())) {
            throw new MetadataSyncException("current version", "The local DHIS2's metadata version " + local
                    + " differs from the central DHIS2's " + local + " (hash " + localHash + " locally, "
                    + same.get().hash() + " on central)." + advice);
        }
    }

    /** "Fetching remote versions": sets the variable {@code metadataBaselineParam} for the history call. */
    public void startHistory(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        state.phase = "version list";
        state.stage = state.comparison.startStage("Fetching remote versions", 0, JobProgress.FailurePolicy.FAIL);
        exchange.setVariable("metadataBaselineParam", state.baseline == null ? "" : "&baseline=" + state.baseline);
    }

    /** Central's history (an empty body means up to date): what to import, in creation order. */
    public void readHistory(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        String body = take(exchange);
        List<RemoteVersion> listed = body.isBlank() ? List.of() : RemoteVersion.listInCreationOrder(json(body));
        listed.stream().filter(v -> !v.name().equals(state.baseline)).forEach(state.pending::add);
        String summary;
        if (state.pending.isEmpty()) {
            summary = state.baseline == null ? "There are no metadata versions created in the remote instance."
                    : "Your instance is already using the latest version " + state.baseline;
        } else {
            summary = state.pending.size() + " version(s) to import in creation order: "
                    + state.pending.stream().map(RemoteVersion::name).collect(Collectors.joining(", "));
            state.stage.setTotalItems(state.pending.size());
        }
        state.stage.complete(summary);
        state.comparison.complete(summary);
        if (!state.pending.isEmpty()) {
            state.synchronization = state.run.progress().startProcess("Synchronize metadata");
        }
        state.phase = "metadata sync";
        LOG.info("Metadata versions: {}", summary);
    }

    /** Loop condition: more versions to import. */
    public boolean hasNext(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        if (!state.pending.isEmpty() && state.run.stopRequested()) {
            state.stoppedWith = state.pending.size();
            return false; // the engine shuts down: the next version waits for the next run
        }
        return !state.pending.isEmpty();
    }

    /** Next version: its stage "Synchronizing metadata for version X TYPE", variable {@code metadataVersionName}. */
    public void next(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        state.current = state.pending.poll();
        state.lastJudgement = null;
        state.stage = state.synchronization.startStage("Synchronizing metadata for version " + state.current.name()
                + " " + state.current.type(), 0, JobProgress.FailurePolicy.FAIL);
        exchange.setVariable("metadataVersionName", state.current.name());
    }

    /**
     * The downloaded snapshot: gunzipped, MD5-checked and DHIS2 version checked (when
     * metadata.sync.stopIfVersionsDiffer) before the local server is asked to apply it. The local server downloads
     * the same snapshot itself and checks the MD5 again (DefaultMetadataSyncService); job configurations are
     * dropped by its import (MetadataSyncImportHandler) and user passwords are never in a DHIS2 export (write-only).
     */
    public void verifySnapshot(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        RemoteVersion v = state.current;
        String snapshot = SnapshotCheck.text(exchange.getMessage().getBody(byte[].class));
        clear(exchange.getMessage());
        String md5 = SnapshotCheck.md5(snapshot);
        if (v.hash() == null || !md5.equalsIgnoreCase(v.hash())) {
            throw new MetadataSyncException("metadata sync", "Metadata snapshot of " + v.name()
                    + " is corrupted: its MD5 is " + md5 + " but central advertises hashCode " + v.hash()
                    + ". The local DHIS2 was not asked to apply " + v.name() + " nor any later version; check the"
                    + " version on central (or the network path) and run META_DATA_SYNC again.");
        }
        if (!(json(snapshot) instanceof ObjectNode node)) {
            throw new MetadataSyncException("metadata sync", "Metadata snapshot of " + v.name()
                    + " is not a JSON object");
        }
        String snapshotVersion = SnapshotCheck.systemVersion(node);
        if (stopIfVersionsDiffer && SnapshotCheck.versionsDiffer(state.localDhis2Version, snapshotVersion)) {
            throw new MetadataSyncException("metadata sync", "Metadata sync failed because your version of DHIS ("
                    + state.localDhis2Version + ") does not match the master version (" + snapshotVersion
                    + ") that exported " + v.name() + ". Nothing of " + v.name() + " or later was imported. Upgrade"
                    + " the local DHIS2 to the central's version, or set metadata.sync.stopIfVersionsDiffer=false"
                    + " to import anyway.");
        }
    }

    /**
     * The local server's answer to {@code /api/metadata/sync?versionName=}: imported (or already registered there)
     * → recorded IMPORTED and a success mail prepared; anything else stops the pull.
     */
    public void judgeLocalSync(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        RemoteVersion v = state.current;
        LocalSyncAnswer.Verdict verdict = LocalSyncAnswer.judge(status(exchange), take(exchange), v);
        ImportReportJudge.Judgement j = verdict.judgement();
        state.lastJudgement = j;
        if (verdict.outcome() == LocalSyncAnswer.Outcome.FAILED) {
            String why = verdict.explanation().replaceFirst("\\.$", "");
            throw new MetadataSyncException("metadata sync", "Import of " + v.name() + " failed: " + why
                    + ". Neither " + v.name() + " nor any later version was imported.");
        }
        bookkeeping.recordImported(v, Instant.now(), j == null ? "{}" : j.report().toString());
        state.imported++;
        List<String> warnings = j == null ? List.of() : j.errors();
        state.stage.complete(verdict.explanation() + (warnings.isEmpty() ? "" : " with " + warnings.size()
                + " warning(s): " + String.join("; ", warnings)));
        exchange.setVariable(MAIL_SUBJECT, SUCCESS_SUBJECT);
        exchange.setVariable(MAIL_BODY, "Metadata version " + v.name() + " (" + v.type() + ", created " + v.created()
                + ") was applied by the local DHIS2, which now has it as a registered version: "
                + verdict.explanation() + ".\n\n" + (j == null ? "" : j.countsText())
                + (warnings.isEmpty() ? "" : "\n\nWarnings:\n- " + String.join("\n- ", warnings)) + "\n");
        LOG.info("Metadata version {} applied by the local DHIS2: {}", v.name(), verdict.explanation());
    }

    /** End of the pull: the synchronization process summary. */
    public void end(Exchange exchange) {
        MetadataSyncState state = state(exchange);
        if (state.stoppedWith > 0) {
            String reason = "stopped by the engine's shutdown after " + state.imported + " metadata version(s); "
                    + state.stoppedWith + " left for the next run";
            state.synchronization.fail(reason);
            state.run.recordFailure(reason);
            report(state, 0, false);
            return;
        }
        if (state.synchronization != null) {
            state.synchronization.complete(state.imported + " metadata version(s) imported");
        }
        report(state, 0, true);
    }

    /** The pull's numbers for the metrics: versions sent to the local import, imported, failed. */
    static void report(MetadataSyncState state, int failedVersions, boolean succeeded) {
        state.run.recordStage(StageOutcome.of(STAGE, state.imported + failedVersions, state.imported, 0,
                failedVersions, state.comparison.getStartedTime(), succeeded));
    }

    /** The job caught a failure (from a push stage or the pull): see {@link MetadataSyncFailures#failed}. */
    public void failed(Exchange exchange) {
        MetadataSyncFailures.failed(exchange, bookkeeping);
    }

    /** A push stage recorded a failure: metadata is not pulled; the failure mail names the data push. */
    public void dataPushFailed(Exchange exchange) {
        MetadataSyncFailures.dataPushFailed(exchange);
    }

    private static MetadataSyncState state(Exchange exchange) {
        MetadataSyncState state = exchange.getVariable(MetadataSyncState.VARIABLE, MetadataSyncState.class);
        if (state == null) {
            throw new IllegalStateException("metadata sync not begun on this exchange");
        }
        return state;
    }

    private static int status(Exchange exchange) {
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return code == null ? 200 : code;
    }

    /** The answer's body as text; the message is emptied so nothing of it travels into the next request. */
    private static String take(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        clear(exchange.getMessage());
        return body == null ? "" : body;
    }

    private static void clear(Message message) {
        message.getHeaders().clear();
        message.setBody(null);
    }

    static JsonNode json(String text) {
        try {
            return text == null || text.isBlank() ? ImportReportJudge.JSON.createObjectNode()
                    : ImportReportJudge.JSON.readTree(text);
        } catch (Exception e) {
            throw new MetadataSyncException("metadata sync", "DHIS2 answered with invalid JSON: " + e.getMessage());
        }
    }
}
