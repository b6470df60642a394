package org.dhis2.sync.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulated server's own clock. It can run ahead of or behind the engine's clock, as a field server's clock
 * does, and never returns the same millisecond twice, so that "lastUpdated &gt;= watermark" windows are testable.
 */
public final class SandboxClock extends Clock {

    private final AtomicLong offsetMillis = new AtomicLong();
    private final AtomicLong lastMillis = new AtomicLong();
    private volatile ZoneId zone = ZoneOffset.UTC;

    public void setOffset(Duration offset) {
        offsetMillis.set(offset.toMillis());
    }

    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }

    /** The next distinct instant on this server's clock (strictly increasing). */
    public Instant tick() {
        long now = System.currentTimeMillis() + offsetMillis.get();
        return Instant.ofEpochMilli(lastMillis.accumulateAndGet(now, (prev, cur) -> Math.max(prev + 1, cur)));
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(Math.max(System.currentTimeMillis() + offsetMillis.get(), lastMillis.get()));
    }

    /**
     * The server's time zone (DHIS2: the JVM default zone of the server, {@code serverTimeZoneId} of
     * /api/system/info); its local times are what the instance writes and reads without offset. UTC by default.
     */
    public void setZone(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("set the server's zone with setZone");
    }
}
