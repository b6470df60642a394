package org.dhis2.sync.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The local DHIS2's answer to {@code GET /api/metadata/sync?versionName=X} (MetadataSyncController, 2.39–2.42), by
 * which the local server pulls version X from the server of its system settings keyRemoteInstanceUrl/Username/
 * Password, imports it and registers it. Shapes (DHIS2 source: MetadataSyncController, CrudControllerAdvice,
 * MetadataSyncImportHandler):
 * <ul>
 * <li>200: a MetadataSyncSummary {@code {"importReport":{status OK…},"metadataVersion":{…}}} — imported and
 * registered;</li>
 * <li>409 with the summary as WebMessage {@code response}: the import status was not OK. DHIS2 still registered a
 * BEST_EFFORT version whose import ended WARNING, so that counts as imported;</li>
 * <li>409 "Version already exists in system and hence not starting the sync." — the local server has it already;</li>
 * <li>400 "Error in parsing inputParams …" — the local server could not get the version from its remote server;</li>
 * <li>403 — DHIS2 versions differ and the local setting keyStopMetadataSync is on, or the user lacks
 * F_METADATA_MANAGE;</li>
 * <li>500 — remote server not configured / not reachable / refused the login, or the snapshot it downloaded is
 * corrupted. 5xx answers are retried by the route; {@link #explainServerError} words the last one.</li>
 * </ul>
 */
public final class LocalSyncAnswer {

    static final String ALREADY_EXISTS = "Version already exists in system";
    static final String SETTINGS_ADVICE = " The local DHIS2 pulls each version itself from the server of its system"
            + " settings keyRemoteInstanceUrl (central's URL as the local server reaches it), keyRemoteInstanceUsername"
            + " and keyRemoteInstancePassword (a central user with F_METADATA_MANAGE; System Settings →"
            + " Synchronization). Check them and run META_DATA_SYNC again.";

    /** What the answer means for version X. */
    public enum Outcome { IMPORTED, ALREADY_KNOWN, FAILED }

    /** The verdict: outcome, the import judgement when the answer carried an ImportReport, and an explanation. */
    public record Verdict(Outcome outcome, ImportReportJudge.Judgement judgement, String explanation) {
    }

    private LocalSyncAnswer() {
    }

    public static Verdict judge(int httpStatus, String body, RemoteVersion expected) {
        JsonNode root = MetadataVersionSync.json(body);
        JsonNode summary = root.has("httpStatus") ? root.path("response") : root;
        String message = root.path("message").asText("");
        if (summary.has("importReport")) {
            ImportReportJudge.Judgement j = ImportReportJudge.judgeReport(httpStatus, root,
                    summary.path("importReport"), expected.atomic());
            if (!j.accepted()) {
                return new Verdict(Outcome.FAILED, j, "the local import of " + expected.name() + " ("
                        + expected.type() + ") ended with " + j.status() + (j.errors().isEmpty() ? ""
                        : ": " + String.join("; ", j.errors())) + "; the local DHIS2 did not register it");
            }
            String registeredHash = summary.path("metadataVersion").path("hashCode").asText("");
            if (expected.hash() != null && !registeredHash.isEmpty() && !registeredHash.equalsIgnoreCase(expected.hash())) {
                return new Verdict(Outcome.FAILED, j, "the local DHIS2 imported and registered a " + expected.name()
                        + " with hash " + registeredHash + ", but central (central.url) advertises " + expected.hash()
                        + ": the local server's keyRemoteInstanceUrl points to another server than central.url."
                        + SETTINGS_ADVICE);
            }
            return new Verdict(Outcome.IMPORTED, j, j.status());
        }
        if (httpStatus == 409 && message.startsWith(ALREADY_EXISTS)) {
            return new Verdict(Outcome.ALREADY_KNOWN, null, "already registered on the local DHIS2");
        }
        String answer = "HTTP " + httpStatus + (message.isEmpty() ? "" : ": " + message);
        String advice = switch (httpStatus) {
            case 400 -> " The local DHIS2 could not get " + expected.name() + " from its remote server."
                    + SETTINGS_ADVICE;
            case 403 -> " Either the local DHIS2's own setting keyStopMetadataSync refuses a snapshot of another"
                    + " DHIS2 version, or local.username lacks F_METADATA_MANAGE.";
            default -> "";
        };
        return new Verdict(Outcome.FAILED, null, "the local DHIS2 did not apply " + expected.name() + " (" + answer
                + ")." + advice);
    }

    /**
     * The words for a 5xx the local DHIS2 kept answering to {@code /api/metadata/sync} (after the retries): its
     * WebMessage message, with the remote-settings advice when it is about the remote server.
     */
    public static String explainServerError(int httpStatus, String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? MissingNode.getInstance() : ImportReportJudge.JSON.readTree(body);
        } catch (Exception e) {
            root = MissingNode.getInstance();
        }
        String message = root.path("message").asText("");
        String remote = message.contains("Remote server") || message.contains("Authentication failed")
                || message.contains("No authentication was provided") || message.contains("Network is unreachable")
                || message.contains("Server is not available") ? SETTINGS_ADVICE : "";
        return "the local DHIS2 answered /api/metadata/sync with HTTP " + httpStatus
                + (message.isEmpty() ? "" : ": " + message) + "." + remote;
    }
}
