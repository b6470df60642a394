package org.dhis2.sync.metadata;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.dhis2.sync.job.JobCoordinator;

/**
 * META_DATA_SYNC pushes data with the stages that exist in this installation (a route consuming
 * direct:stage.dataValues, ...), stops pushing after the first failed push, and never pulls metadata then.
 */
public final class DataPushStages {

    /** Run this push stage: its route exists and nothing has failed in this run so far. */
    public boolean shouldRun(Exchange exchange, String uri) {
        return exists(exchange.getContext(), uri) && !failed(exchange);
    }

    /** True when some stage of the exchange's job run recorded a failure. */
    public boolean failed(Exchange exchange) {
        return JobCoordinator.currentRun(exchange, "META_DATA_SYNC").hasFailed();
    }

    public static boolean exists(CamelContext context, String uri) {
        Endpoint wanted = context.hasEndpoint(uri);
        if (wanted == null) {
            return false;
        }
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().equals(wanted.getEndpointUri())) {
                return true;
            }
        }
        return false;
    }
}
