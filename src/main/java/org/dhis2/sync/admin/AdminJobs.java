package org.dhis2.sync.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobControl;
import org.dhis2.sync.job.JobOverview;

/**
 * {@code GET /api/jobs} and {@code POST /api/jobs/{jobType}/execute} over the {@code jobControl} bean (scheduling),
 * looked up per call so that the API starts even where no scheduler is bound (then these two answer 503).
 */
public final class AdminJobs {

    public static final String TRIGGER = "MANUAL";

    public List<JobOverview> list(Exchange exchange) {
        return control(exchange).overview();
    }

    /** Starts a run now; 404 for an unknown job type, 409 (JobAlreadyRunningException) while one runs. */
    public Map<String, Object> execute(Exchange exchange, String jobType) {
        String type = AdminQueries.jobType(jobType);
        JobControl control = control(exchange);
        if (control.overview().stream().noneMatch(j -> j.jobType().equals(type))) {
            throw AdminApiException.notFound("No job of type " + type);
        }
        String jobId;
        try {
            jobId = control.execute(type, TRIGGER);
        } catch (IllegalArgumentException e) {
            throw AdminApiException.notFound(e.getMessage());
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jobId", jobId);
        response.put("jobType", type);
        response.put("trigger", TRIGGER);
        return AdminAnswers.webMessage(200, "Initiated " + type, response);
    }

    /**
     * {@code GET /api/scheduling/running/{jobType}}: the live progress tree of the running run, as DHIS2 serves it;
     * 404 when the job is not running (DHIS2 answers an empty body then).
     */
    public Object running(Exchange exchange, String jobType) {
        String type = AdminQueries.jobType(jobType);
        return control(exchange).runningProgress(type)
                .orElseThrow(() -> AdminApiException.notFound("Job " + type + " is not running"));
    }

    /** The job control of the admin call's pair (exchange variable pair, set by the adminApi configuration). */
    static JobControl control(Exchange exchange) {
        String pair = exchange.getVariable("pair", "default", String.class);
        JobControl control = exchange.getContext().getRegistry().lookupByNameAndType(pair + ".jobControl",
                JobControl.class);
        if (control == null) {
            throw AdminApiException.unavailable("Job control is not available in this engine");
        }
        return control;
    }
}
