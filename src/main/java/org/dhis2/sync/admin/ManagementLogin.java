package org.dhis2.sync.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.util.function.Supplier;

/**
 * The admin API's login in front of a path of the management server that is not a Camel route (Jolokia): the same
 * credentials ({@link AdminAuthentication#accepts}), the same 401 answer (WebMessage and challenge). It runs on
 * Vert.x's event loop; the check is in memory (digests), never blocking. The Authorization header is removed once
 * checked, so nothing behind it can echo it.
 */
public final class ManagementLogin implements AuthenticationHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNAUTHORIZED;

    static {
        try {
            UNAUTHORIZED = JSON.writeValueAsString(AdminAnswers.webMessage(401,
                    AdminApiException.unauthorized().getMessage(), null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private final Supplier<AdminAuthentication> authentication;

    private static String webMessage(AdminApiException e) {
        try {
            return JSON.writeValueAsString(AdminAnswers.webMessage(e.status(), e.getMessage(), null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    /** @param authentication the admin API's check, looked up when a request comes (it is bound after this) */
    public ManagementLogin(Supplier<AdminAuthentication> authentication) {
        this.authentication = authentication;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(AdminAuthentication.AUTHORIZATION);
        ctx.request().headers().remove(AdminAuthentication.AUTHORIZATION);
        AdminAuthentication check = authentication.get();
        try {
            if (check != null && header != null && check.admits(header, ctx.request().remoteAddress().hostAddress())) {
                ctx.next();
                return;
            }
        } catch (AdminApiException refused) { // too many wrong logins from this address
            ctx.response().setStatusCode(refused.status()).putHeader("Content-Type", "application/json")
                    .end(webMessage(refused));
            return;
        }
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", AdminAnswers.CHALLENGE)
                .putHeader("Content-Type", "application/json").end(UNAUTHORIZED);
    }
}
