package org.dhis2.sync.config;

/**
 * How politely the engine loads central (config/application.properties, section "Load on central").
 *
 * @param minPageSize           aggregate pages of this many objects or fewer are never split (sync.adaptive.minPageSize)
 * @param trackerMinPageSize    the same for event and tracked entity pages (sync.adaptive.tracker.minPageSize)
 * @param growAfter             pages in a row that must go through before the page size doubles back (sync.adaptive.growAfter)
 * @param maxConcurrentRequests HTTP requests to central in flight at once, across all jobs (central.maxConcurrentRequests)
 * @param maxBytesPerSecond     request body bytes per second sent to central, 0 = no cap (central.maxBytesPerSecond)
 */
public record LoadSettings(int minPageSize, int trackerMinPageSize, int growAfter, int maxConcurrentRequests,
                           long maxBytesPerSecond) {
}
