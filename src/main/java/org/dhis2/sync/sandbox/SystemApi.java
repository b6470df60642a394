package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /api/system/info}, {@code /api/system/ping}, {@code /api/me}, {@code POST /api/apiToken},
 * {@code POST /api/systemSettings}.
 */
final class SystemApi {

    private SystemApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        router.get("/api/system/info", (req, res) -> res.json(200, systemInfo(instance)));
        router.get("/api/system/ping", (req, res) -> {
            res.header("Cache-Control", "no-store");
            res.text(200, "text/plain;charset=UTF-8", "pong");
        });
        router.get("/api/me", (req, res) -> res.json(200, me(instance)));
        // SystemSettingController.setSystemSettingV29: a JSON object of key → value, answered "System settings imported"
        router.post("/api/systemSettings", (req, res) -> {
            var body = req.bodyJson();
            if (!(body instanceof ObjectNode settings)) {
                throw Dhis2Exception.badRequest("Request body must be a JSON object of system settings");
            }
            settings.fields().forEachRemaining(e -> instance.systemSettings().put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            res.json(200, WebMessages.message(200, "OK", "System settings imported"));
        });
        router.post("/api/apiToken", (req, res) -> {
            String key = instance.issueApiToken();
            ObjectNode response = SandboxJson.object();
            response.put("responseType", "ApiTokenCreationResponse");
            response.put("key", key);
            response.put("uid", Uids.random());
            response.put("klass", "org.hisp.dhis.security.apikey.ApiToken");
            response.set("errorReports", SandboxJson.array());
            ObjectNode envelope = WebMessages.message(201, "OK", null);
            envelope.set("response", response);
            res.json(201, envelope);
        });
    }

    static ObjectNode systemInfo(Dhis2Instance instance) {
        ObjectNode info = SandboxJson.object();
        info.put("contextPath", "");
        info.put("calendar", "iso8601");
        info.put("dateFormat", "yyyy-mm-dd");
        info.put("serverDate", Dhis2Dates.tracker(instance.clock().instant()));
        info.put("version", instance.version().toString());
        info.put("revision", "sandbox");
        info.put("buildTime", "2024-01-01T00:00:00.000");
        info.put("environmentVariable", "DHIS2_HOME");
        ObjectNode db = info.putObject("databaseInfo");
        db.put("type", "PostgreSQL");
        db.put("spatialSupport", true);
        info.put("encryption", false);
        info.put("systemId", instance.systemId());
        info.put("systemName", "DHIS2 sandbox (" + instance.name() + ")");
        java.time.ZoneId zone = instance.clock().getZone();
        info.put("serverTimeZoneId", zone.equals(java.time.ZoneOffset.UTC) ? "Etc/UTC" : zone.getId());
        info.put("serverTimeZoneDisplayName", java.util.TimeZone.getTimeZone(zone).getDisplayName());
        info.put("isMetadataVersionEnabled", true);
        info.put("isMetadataSyncEnabled", false);
        instance.metadataVersions().currentVersionName().ifPresent(v -> info.put("systemMetadataVersion", v));
        return info;
    }

    static ObjectNode me(Dhis2Instance instance) {
        ObjectNode me = SandboxJson.object();
        me.put("id", "M5zQapPyTZI");
        me.put("username", instance.username());
        me.put("name", "Sandbox " + instance.username());
        ArrayNode authorities = me.putArray("authorities");
        instance.userAuthorities().forEach(authorities::add);
        ArrayNode orgUnits = me.putArray("organisationUnits");
        instance.userOrgUnits().forEach(uid -> orgUnits.addObject().put("id", uid));
        ArrayNode viewOrgUnits = me.putArray("dataViewOrganisationUnits");
        instance.userOrgUnits().forEach(uid -> viewOrgUnits.addObject().put("id", uid));
        ArrayNode searchOrgUnits = me.putArray("teiSearchOrganisationUnits");
        instance.userSearchOrgUnits().forEach(uid -> searchOrgUnits.addObject().put("id", uid));
        return me;
    }
}
