package org.dhis2.sync.observe;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.dhis2.sync.admin.AdminAuthentication;
import org.dhis2.sync.admin.ManagementLogin;
import org.dhis2.sync.config.SyncSettings;

/**
 * The management server's address and Jolokia. Camel's Vert.x server serves /observe/health, /observe/metrics, the
 * admin API and, with camel-platform-http-jolokia, Jolokia at {@value #JOLOKIA_PATH} (for Hawtio). It binds to
 * {@code sync.management.host}. Jolokia is not a Camel route, so the admin API's route-level login does not cover it:
 * {@link #guard()} puts the same login in front of it inside the server, before the server starts, so there is no
 * moment at which it answers without credentials.
 */
public final class ManagementServer {

    public static final String JOLOKIA_PATH = "/observe/jolokia";

    private ManagementServer() {
    }

    /** Camel's keys for the address and Jolokia (the main and management servers share one port, so both). */
    public static void derive(SyncSettings settings, Map<String, String> derived) {
        derived.put("camel.server.host", settings.managementHost());
        derived.put("camel.management.host", settings.managementHost());
        derived.put("camel.management.jolokiaEnabled", "true");
        derived.put("camel.management.jolokiaPath", JOLOKIA_PATH);
    }

    /**
     * A main listener that adds the admin login to the HTTP servers Camel configured, for Jolokia's path and
     * everything under it; the login looks up the bean {@code adminAuthentication} per request.
     */
    public static MainListenerSupport guard() {
        return new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                CamelContext context = main.getCamelContext();
                ManagementLogin login = new ManagementLogin(() -> context.getRegistry()
                        .lookupByNameAndType("adminAuthentication", AdminAuthentication.class));
                MainHttpServer server = context.hasService(MainHttpServer.class);
                ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
                if (server == null && management == null) {
                    throw new IllegalStateException("the management server was not configured; Jolokia needs it");
                }
                if (server != null) {
                    protect(server.getConfiguration(), login);
                }
                if (management != null) {
                    protect(management.getConfiguration(), login);
                }
            }
        };
    }

    static void protect(VertxPlatformHttpServerConfiguration configuration, ManagementLogin login) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        // "/observe/jolokia*": the path itself, "/observe/jolokia/" and everything under it
        entry.setPath(JOLOKIA_PATH + "*");
        entry.setAuthenticationProviderFactory(vertx -> null); // the login checks the header itself
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends io.vertx.ext.auth.authentication.AuthenticationProvider>
                    io.vertx.ext.web.handler.AuthenticationHandler createAuthenticationHandler(T provider) {
                return login;
            }
        });
        configuration.getAuthenticationConfig().getEntries().add(entry);
        configuration.getAuthenticationConfig().setEnabled(true);
    }
}
