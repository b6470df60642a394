package org.dhis2.sync.console;

import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.dhis2.sync.admin.AdminAuthentication;
import org.dhis2.sync.config.SyncSettings;

/** The operator console's beans (routes/console.camel.yaml, routes/admin-api-console.camel.yaml). */
public final class ConsoleBeans {

    public static final Map<String, Class<?>> TYPES = Map.of(
            "consolePages", ConsolePages.class, "consoleQueries", ConsoleQueries.class);

    private ConsoleBeans() {
    }

    /** Turns on console sessions in the admin login and binds the beans. */
    public static void bind(BiConsumer<String, Object> bind, AdminAuthentication admin, SyncSettings settings,
                            DataSource dataSource) {
        ConsoleSessions sessions = admin.sessions(new ConsoleSessions(dataSource,
                Duration.ofMinutes(settings.consoleSessionIdleMinutes())));
        bind.accept("consolePages", new ConsolePages(sessions, admin));
        bind.accept("consoleQueries", new ConsoleQueries(dataSource));
    }
}
