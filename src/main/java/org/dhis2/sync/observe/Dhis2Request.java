package org.dhis2.sync.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.dhis2.sync.config.Dhis2Connection;
import org.dhis2.sync.stage.AvailabilityCheck;
import org.dhis2.sync.stage.AvailabilityCheck.Availability;

/**
 * One quick GET to a DHIS2 instance through the route direct:dhis2QuickGet (routes/dhis2-checks.camel.yaml), judged like the
 * availability check (DHIS2's messages): credentials are added by the HTTP client, never seen here.
 */
public final class Dhis2Request {

    /** The judgement, the answer's body when available, and the technical reason when there was no answer. */
    public record Answer(Availability availability, String body, String noAnswer) {
    }

    private static final String ROUTE = "direct:dhis2QuickGet";

    private Dhis2Request() {
    }

    /** @param path the API path, e.g. {@code /api/system/info}, with a query when it needs one */
    public static Answer get(CamelContext context, Dhis2Connection connection, String path) {
        ProducerTemplate template = context.createProducerTemplate();
        try {
            int q = path.indexOf('?');
            Exchange exchange = template.send(ROUTE, e -> {
                e.setVariable("dhis2Url", connection.url());
                e.setVariable("dhis2Path", q < 0 ? path : path.substring(0, q));
                // the route adds its own options after the path's query (dhis2Query ends with '&' when there is one)
                e.setVariable("dhis2Query", q < 0 ? "" : path.substring(q + 1) + "&");
            });
            String noAnswer = exchange.getVariable("dhis2NoAnswer", String.class);
            if (exchange.getException() != null) {
                noAnswer = exchange.getException().getClass().getSimpleName() + ": "
                        + exchange.getException().getMessage();
            }
            if (noAnswer != null) {
                return new Answer(AvailabilityCheck.unreachable(connection.name()), null, noAnswer);
            }
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            return new Answer(AvailabilityCheck.judge(connection.name(), status == null ? 0 : status),
                    exchange.getMessage().getBody(String.class), null);
        } finally {
            try {
                template.stop();
            } catch (Exception ignored) {
                // a template that does not stop holds nothing worth reporting
            }
        }
    }
}
