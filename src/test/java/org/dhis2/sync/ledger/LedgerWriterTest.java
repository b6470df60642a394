package org.dhis2.sync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Rows the writer could not write are never lost silently: the shutdown says how many. */
class LedgerWriterTest {

    @Test
    void rowsNotWrittenAtShutdownAreCountedInTheLog() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(LedgerWriter.class);
        logger.addAppender(log);
        try {
            // never started (Camel never started): nothing can be written, the database is never asked
            LedgerWriter writer = new LedgerWriter(null, () -> { });
            for (int i = 0; i < 3; i++) {
                writer.add(new LedgerRow(null, null, null, "checks", "checks.get", null, "GET", "http://x",
                        "/api/me", 200, null, null, 10L, 1, 1, UUID.randomUUID(), Instant.now()));
            }
            writer.close();
            writer.add(new LedgerRow(null, null, null, null, null, null, "GET", "http://x", "/", null, "E", null,
                    null, 1, 1, UUID.randomUUID(), Instant.now()));
            writer.close();
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Request ledger: 3 calls could not be recorded (queue full or database refused"
                        + " them); 3 in all", "Request ledger: 1 calls could not be recorded (queue full or database"
                        + " refused them); 4 in all");
    }
}
