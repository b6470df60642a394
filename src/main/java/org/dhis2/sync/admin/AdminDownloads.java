package org.dhis2.sync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dhis2.sync.download.DownloadRequest;
import org.dhis2.sync.job.JobControl;
import org.dhis2.sync.job.JobRun;

/**
 * {@code POST /api/download/trackedEntities} with {@code {"trackedEntities":["uid",...],"program":"uid"}}: downloads
 * exactly those tracked entities from central into the local instance (a TRACKER_DOWNLOAD run, trigger API), and
 * answers when the run has ended: 200 when it succeeded, 409 with the reasons when it failed (a CLOSED program, an
 * ownership refusal, a rejected import...). At most {@value #MAX_UIDS} tracked entities per call.
 */
public final class AdminDownloads {

    static final int MAX_UIDS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UID = "[A-Za-z][A-Za-z0-9]{10}";

    public Map<String, Object> trackedEntities(Exchange exchange) throws Exception {
        String text = exchange.getMessage().getBody(String.class);
        JsonNode body;
        try {
            body = JSON.readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (Exception e) {
            throw AdminApiException.badParameter("body", "is not JSON: " + e.getMessage());
        }
        List<String> uids = new ArrayList<>();
        for (JsonNode n : body.path("trackedEntities")) {
            if (!n.isTextual() || !n.asText().matches(UID)) {
                throw AdminApiException.badParameter("trackedEntities", "'" + n.asText() + "' is not a DHIS2 UID");
            }
            if (!uids.contains(n.asText())) {
                uids.add(n.asText());
            }
        }
        if (uids.isEmpty() || uids.size() > MAX_UIDS) {
            throw AdminApiException.badParameter("trackedEntities", "must list 1 to " + MAX_UIDS
                    + " tracked entity UIDs");
        }
        String program = body.path("program").isTextual() ? body.path("program").asText() : null;
        if (program != null && !program.matches(UID)) {
            throw AdminApiException.badParameter("program", "'" + program + "' is not a DHIS2 UID");
        }
        JobControl control = AdminJobs.control(exchange);
        if (control == null) {
            throw AdminApiException.unavailable("Job control is not available in this engine");
        }
        JobRun run = control.runAndWait("TRACKER_DOWNLOAD", "API",
                Map.of(DownloadRequest.PROPERTY, new DownloadRequest(uids, program)));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jobId", run.jobId());
        response.put("jobType", run.jobType());
        response.put("status", run.status().name());
        response.put("summary", run.summary());
        response.put("failures", run.failures());
        int status = run.status() == JobRun.Status.SUCCESS ? 200 : 409;
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        return AdminAnswers.webMessage(status, status == 200 ? "Downloaded " + uids.size() + " tracked entities"
                : "The download did not succeed: " + String.join("; ", run.failures()), response);
    }
}
