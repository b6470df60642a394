package org.dhis2.sync.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobAlreadyRunningException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's answers that are not plain data: DHIS2-style WebMessages ({@code httpStatus, httpStatusCode,
 * status, message}) for errors and for accepted commands. Error messages come from our own exceptions, which never
 * carry secrets; anything unexpected is logged and answered with a generic 500.
 */
public final class AdminAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAnswers.class);
    static final String CHALLENGE = "Basic realm=\"dhis2-sync\", Bearer realm=\"dhis2-sync\"";

    /** onException of the adminApi route configuration: status, headers and WebMessage body of a failed call. */
    public void error(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status;
        String message;
        if (e instanceof AdminApiException a) {
            status = a.status();
            message = a.getMessage();
        } else if (e instanceof JobAlreadyRunningException) {
            status = 409;
            message = e.getMessage();
        } else {
            status = 500;
            message = "Internal error; the engine log has the details";
            LOG.error("Admin API call {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), e);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (status == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", CHALLENGE);
        }
        exchange.getMessage().setBody(webMessage(status, message, null));
    }

    /** A WebMessage as DHIS2 writes it; {@code response} is omitted when null. */
    public static Map<String, Object> webMessage(int status, String message, Object response) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("httpStatus", reason(status));
        m.put("httpStatusCode", status);
        m.put("status", status < 400 ? "OK" : "ERROR");
        m.put("message", message);
        if (response != null) {
            m.put("response", response);
        }
        return m;
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 503 -> "Service Unavailable";
            default -> status < 400 ? "OK" : "Internal Server Error";
        };
    }
}
