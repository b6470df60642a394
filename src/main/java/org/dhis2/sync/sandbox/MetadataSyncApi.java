package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/metadata/sync?versionName=X} as DHIS2's MetadataSyncController (2.39–2.42) answers it: the
 * instance asks the remote server of its system settings (keyRemoteInstanceUrl/Username/Password) for version X
 * over real HTTP, downloads and checks its snapshot, imports it (atomicMode NONE for BEST_EFFORT, ALL for ATOMIC),
 * and registers the version when the import was OK (or WARNING for BEST_EFFORT). Answers: 200 with a
 * MetadataSyncSummary; 409 with the summary as WebMessage response when the import status is not OK; 409 "Version
 * already exists…"; 400 "Error in parsing inputParams …" when the remote cannot describe the version; 403 when the
 * DHIS2 versions differ and keyStopMetadataSync is on; 500 for an unavailable remote or a corrupted snapshot.
 */
final class MetadataSyncApi {

    static final String KEY_STOP_SYNC = "keyStopMetadataSync";
    private static final String SYNC_FAILED = "Exception occurred while doing metadata sync: ";

    private MetadataSyncApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        router.get("/api/metadata/sync", (req, res) -> {
            List<String> authorities = instance.userAuthorities();
            if (!authorities.contains("ALL") && !authorities.contains(MetadataVersionApi.MANAGE_AUTHORITY)) {
                throw new Dhis2Exception(403, "Forbidden", "Access is denied");
            }
            // the controller synchronizes on its service: one sync at a time per instance
            synchronized (instance.metadataVersions()) {
                sync(instance, req, res);
            }
        });
    }

    private static void sync(Dhis2Instance instance, SandboxRequest req, SandboxResponse res) {
        List<String> names = req.params("versionName");
        if (names.isEmpty()) {
            throw Dhis2Exception.badRequest("Error in parsing inputParams Missing required parameter: 'versionName'");
        }
        String name = names.get(0);
        if (name.isEmpty()) {
            throw Dhis2Exception.internal(SYNC_FAILED + "MetadataVersion for the Sync cant be null. The ClassListMap"
                    + " could not be constructed.");
        }
        RemoteInstance remote = RemoteInstance.of(instance.systemSettings());
        MetadataVersion version = remoteVersion(remote, name);
        MetadataVersionStore store = instance.metadataVersions();
        if (store.get(version.name()).isPresent()) {
            throw Dhis2Exception.conflict("Version already exists in system and hence not starting the sync.", null);
        }
        String snapshot = store.savedSnapshot(version.name()).orElseGet(() -> download(remote, version));
        if (stopBecauseVersionsDiffer(instance, snapshot)) {
            throw new Dhis2Exception(403, "Forbidden", SYNC_FAILED + "Metadata sync failed because your version of"
                    + " DHIS does not match the master version");
        }
        store.saveSnapshot(version.name(), snapshot);
        ObjectNode report = importSnapshot(instance, version, snapshot);
        String status = report.path("status").asText();
        boolean register = "OK".equals(status)
                || "WARNING".equals(status) && version.type() == MetadataVersion.Type.BEST_EFFORT;
        MetadataVersion registered = register ? store.recordImported(version.withSnapshot(snapshot)) : version;
        ObjectNode summary = SandboxJson.object();
        report.remove("importParams");
        report.put("responseType", "ImportReport");
        summary.set("importReport", report);
        summary.set("metadataVersion", registered.toJson());
        if (!"OK".equals(status)) {
            ObjectNode envelope = WebMessages.message(409, "ERROR", null);
            envelope.set("response", summary);
            res.json(409, envelope);
            return;
        }
        res.json(200, summary);
    }

    /** getParamsFromMap: the remote's description of the version; any failure is a 400 "Error in parsing…". */
    private static MetadataVersion remoteVersion(RemoteInstance remote, String name) {
        RemoteInstance.Answer answer;
        try {
            answer = remote.get(remote.url() + "/api/metadata/version?versionName=" + name);
        } catch (RemoteInstance.Unavailable e) {
            throw Dhis2Exception.internal(e.getMessage()); // RemoteServerUnavailableException → MetadataSyncException
        } catch (RemoteInstance.CallFailed e) {
            throw Dhis2Exception.badRequest("Error in parsing inputParams " + e.getMessage());
        }
        if (answer.body().length == 0) {
            throw Dhis2Exception.badRequest("Error in parsing inputParams The MetadataVersion could not be fetched"
                    + " from the remote server for the versionName: " + name);
        }
        try {
            return MetadataVersion.fromJson(SandboxJson.MAPPER.readTree(answer.body()), null);
        } catch (Exception e) {
            throw Dhis2Exception.badRequest("Error in parsing inputParams Exception occurred while trying to do JSON"
                    + " conversion for metadata version");
        }
    }

    /** The snapshot from the remote's data.gz, gunzipped, with DHIS2's integrity check (MD5 = hashCode). */
    private static String download(RemoteInstance remote, MetadataVersion version) {
        RemoteInstance.Answer answer;
        try {
            answer = remote.get(remote.url() + "/api/metadata/version/" + version.name() + "/data.gz");
        } catch (RemoteInstance.Unavailable | RemoteInstance.CallFailed e) {
            throw Dhis2Exception.internal(SYNC_FAILED + e.getMessage());
        }
        byte[] bytes = answer.body();
        if (bytes.length == 0) {
            throw Dhis2Exception.internal(SYNC_FAILED + "Metadata snapshot can't be null.");
        }
        String snapshot;
        try {
            snapshot = new String(CompressionSniffer.unwrap(new ByteArrayInputStream(bytes)).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw Dhis2Exception.internal(SYNC_FAILED + e.getMessage());
        }
        if (!MetadataVersion.md5(snapshot).equals(version.hash())) {
            throw Dhis2Exception.internal(SYNC_FAILED + "Metadata snapshot is corrupted. Not saving it locally");
        }
        return snapshot;
    }

    /** MetadataSyncDelegate.shouldStopSync: keyStopMetadataSync on and the snapshot's system.version differs. */
    private static boolean stopBecauseVersionsDiffer(Dhis2Instance instance, String snapshot) {
        if (!Boolean.parseBoolean(instance.systemSettings().getOrDefault(KEY_STOP_SYNC, "false"))) {
            return false;
        }
        try {
            String remoteVersion = SandboxJson.MAPPER.readTree(snapshot).path("system").path("version").asText("");
            return !remoteVersion.isEmpty() && !instance.version().toString().trim().equals(remoteVersion.trim());
        } catch (Exception e) {
            return false;
        }
    }

    /** MetadataSyncImportHandler: job configurations removed, imported with the version type's atomic mode. */
    private static ObjectNode importSnapshot(Dhis2Instance instance, MetadataVersion version, String snapshot) {
        Map<String, List<ObjectNode>> payload;
        try {
            payload = MetadataImporter.read(new ByteArrayInputStream(snapshot.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw Dhis2Exception.internal(SYNC_FAILED + e.getMessage());
        }
        payload.remove("jobConfigurations");
        String atomic = version.type() == MetadataVersion.Type.BEST_EFFORT ? "NONE" : "ALL";
        return MetadataImporter.importPayload(instance, payload, "COMMIT", atomic, "CREATE_AND_UPDATE", "ERRORS",
                "UID");
    }
}
