package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * Tracker endpoints: new exports and {@code POST /api/tracker} on every emulated version (2.39–2.42), the old
 * {@code /api/events} and {@code /api/trackedEntityInstances} only up to 2.41 (404 on 2.42, where DHIS2 removed
 * them). An async {@code POST /api/tracker} (the default) is imported before the answer is sent and answered with
 * the "Tracker job added" WebMessage; its report is then available at {@code /api/tracker/jobs/{id}/report}.
 */
final class TrackerApi {

    private TrackerApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        TrackerExports exports = new TrackerExports(instance);
        router.get("/api/tracker/events", exports::newEvents);
        router.get("/api/tracker/trackedEntities", exports::newTrackedEntities);
        router.get("/api/tracker/trackedEntities/{uid}", exports::oneTrackedEntity);
        router.get("/api/tracker/relationships", new TrackerRelationships(instance)::export);
        router.post("/api/tracker", (req, res) -> postTracker(instance, req, res));
        router.get("/api/tracker/jobs/{id}", (req, res) -> jobNotifications(instance, req, res));
        router.get("/api/tracker/jobs/{id}/report", (req, res) -> jobReport(instance, req, res));

        router.add("GET", "/api/events", Dhis2Version::hasOldTrackerApi, exports::oldEvents);
        router.add("GET", "/api/trackedEntityInstances", Dhis2Version::hasOldTrackerApi,
                exports::oldTrackedEntityInstances);
        router.add("POST", "/api/events", Dhis2Version::hasOldTrackerApi, (req, res) -> {
            try (InputStream body = req.bodyStream()) {
                WebMessages.importSummaries(res, new TrackerLegacyImporter(instance, req).importEvents(body));
            }
        });
        router.add("POST", "/api/trackedEntityInstances", Dhis2Version::hasOldTrackerApi, (req, res) -> {
            try (InputStream body = req.bodyStream()) {
                WebMessages.importSummaries(res,
                        new TrackerLegacyImporter(instance, req).importTrackedEntityInstances(body));
            }
        });
    }

    private static void postTracker(Dhis2Instance instance, SandboxRequest req, SandboxResponse res)
            throws IOException {
        ObjectNode report;
        try (InputStream body = TrackerGzipBody.refuseGzip(req.rawBodyStream(), instance.version())) {
            report = new TrackerImporter(instance, req).run(body);
        }
        if (req.flag("async", true)) {
            String id = Uids.random();
            instance.tracker().saveJobReport(id, report);
            ObjectNode message = WebMessages.message(200, "OK", "Tracker job added");
            message.putObject("response").put("responseType", "TrackerJob").put("id", id)
                    .put("location", "http://" + req.header("Host").orElse("localhost") + "/api/tracker/jobs/" + id);
            res.json(200, message);
            return;
        }
        res.json("ERROR".equals(report.path("status").asText()) ? 409 : 200, report);
    }

    private static void jobNotifications(Dhis2Instance instance, SandboxRequest req, SandboxResponse res) {
        String id = req.pathVariable("id");
        ObjectNode report = instance.tracker().jobReport(id)
                .orElseThrow(() -> Dhis2Exception.notFound("Job with id " + id + " could not be found."));
        var list = SandboxJson.array();
        list.addObject().put("id", Uids.random()).put("uid", id).put("level", "INFO")
                .put("category", "TRACKER_IMPORT_JOB").put("time", Dhis2Dates.tracker(instance.clock().instant()))
                .put("message", "Import complete with status " + report.path("status").asText())
                .put("completed", true);
        res.json(200, list);
    }

    private static void jobReport(Dhis2Instance instance, SandboxRequest req, SandboxResponse res) {
        String id = req.pathVariable("id");
        res.json(200, instance.tracker().jobReport(id)
                .orElseThrow(() -> Dhis2Exception.notFound("Job with id " + id + " could not be found.")));
    }
}
