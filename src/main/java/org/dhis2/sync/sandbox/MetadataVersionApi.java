package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Metadata versioning (MetadataVersionController, same in 2.36–2.42; reference §3) and {@code POST /api/metadata}.
 * DHIS2 maps MetadataVersionException to 500, so "not found" here is a 500, not a 404.
 */
final class MetadataVersionApi {

    static final String MANAGE_AUTHORITY = "F_METADATA_MANAGE";

    private MetadataVersionApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        MetadataVersionStore store = instance.metadataVersions();
        router.get("/api/metadata/version", (req, res) -> {
            enabled(instance);
            MetadataVersion v = req.param("versionName")
                    .map(name -> store.get(name).orElseThrow(() -> Dhis2Exception.internal(
                            "No metadata version with name " + name + " exists. Please check again later.")))
                    .orElseGet(() -> store.current().orElseThrow(() -> Dhis2Exception.internal(
                            "No metadata versions exist. Please check again later.")));
            res.json(200, v.toJson());
        });
        router.get("/api/metadata/version/history", (req, res) -> {
            enabled(instance);
            List<MetadataVersion> all = store.list();
            String baseline = req.param("baseline").orElse(null);
            if (baseline == null) {
                res.json(200, listing(store.listForHistory(all)));
                return;
            }
            MetadataVersion base = store.get(baseline).orElseThrow(() -> Dhis2Exception.internal(
                    "There is no such metadata version. The latest version is Version "
                            + store.currentVersionName().orElse("null")));
            // DHIS2 selects created >= baseline.created and then removes the baseline itself
            List<MetadataVersion> newer = all.stream()
                    .filter(v -> !v.created().isBefore(base.created()) && !v.name().equals(base.name()))
                    .toList();
            if (newer.isEmpty()) {
                res.empty(200); // the controller returns null: HTTP 200 with an empty body
                return;
            }
            res.json(200, listing(store.listForHistory(newer)));
        });
        router.get("/api/metadata/versions", (req, res) -> {
            enabled(instance);
            res.json(200, listing(store.listForHistory(store.list())));
        });
        router.get("/api/metadata/version/{name}/data", (req, res) -> {
            guard(instance);
            String snapshot = snapshot(store, req.pathVariable("name"));
            res.bytes(200, "application/json", snapshot.getBytes(StandardCharsets.UTF_8));
        });
        router.get("/api/metadata/version/{name}/data.gz", (req, res) -> {
            guard(instance);
            byte[] bytes = snapshot(store, req.pathVariable("name")).getBytes(StandardCharsets.UTF_8);
            res.header("Content-Disposition", "attachment; filename=metadata.json.gz");
            res.stream(200, "application/gzip", out -> {
                GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024);
                gz.write(bytes);
                gz.finish(); // the caller's stream is closed by the response
            });
        });
        router.post("/api/metadata/version/create", (req, res) -> {
            guard(instance);
            String typeText = req.param("type").orElseThrow(() -> Dhis2Exception.badRequest(
                    "Required request parameter 'type' for method parameter type VersionType is not present"));
            MetadataVersion.Type type;
            try {
                type = MetadataVersion.Type.valueOf(typeText.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw Dhis2Exception.badRequest("Value '" + typeText + "' is not valid for parameter type");
            }
            res.json(200, store.create(type).toJson());
        });
        router.post("/api/metadata", (req, res) -> MetadataImporter.handle(instance, req, res));
    }

    /** keyVersionEnabled off → 400 (every endpoint of MetadataVersionController). */
    private static void enabled(Dhis2Instance instance) {
        if (!instance.metadataVersions().enabled()) {
            throw Dhis2Exception.badRequest("Metadata versioning is not enabled for this instance.");
        }
    }

    /**
     * /data, /data.gz and /create also need ALL or F_METADATA_MANAGE (@PreAuthorize → "Access is denied"); /version,
     * /version/history and /versions have no authority check in DHIS2.
     */
    private static void guard(Dhis2Instance instance) {
        enabled(instance);
        List<String> authorities = instance.userAuthorities();
        if (!authorities.contains("ALL") && !authorities.contains(MANAGE_AUTHORITY)) {
            throw new Dhis2Exception(403, "Forbidden", "Access is denied");
        }
    }

    private static String snapshot(MetadataVersionStore store, String name) {
        return store.snapshot(name).orElseThrow(() -> Dhis2Exception.internal(
                        "No metadata version snapshot found for the given version " + name));
    }

    private static ObjectNode listing(List<MetadataVersion> versions) {
        ObjectNode node = SandboxJson.object();
        var array = node.putArray("metadataversions");
        versions.forEach(v -> array.add(v.toHistoryJson()));
        return node;
    }
}
