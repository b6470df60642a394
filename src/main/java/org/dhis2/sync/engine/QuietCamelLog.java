package org.dhis2.sync.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Keeps Camel's INFO lines (context start and shutdown, routes stopped) out of {@code validate}'s output while it
 * loads route files into throw-away contexts; warnings and errors still show.
 */
final class QuietCamelLog {

    private QuietCamelLog() {
    }

    static <T> T during(Supplier<T> work) {
        if (!(LoggerFactory.getLogger("org.apache.camel") instanceof Logger camel)) {
            return work.get();
        }
        Level before = camel.getLevel();
        camel.setLevel(Level.WARN);
        try {
            return work.get();
        } finally {
            camel.setLevel(before);
        }
    }
}
