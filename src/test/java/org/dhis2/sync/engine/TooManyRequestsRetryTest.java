package org.dhis2.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.Contract;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.RequestLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DHIS2 (or the proxy in front of it) that answers 429 Too Many Requests or 503 Service Unavailable with a
 * Retry-After header, twice, then accepts: every job still succeeds, the request was sent three times, and the
 * engine waited as long as it was asked to (the configured retry delay is 10 ms here, Retry-After is about 1 s).
 * Covers every DHIS2 call that writes (data values, registrations, events, tracker, metadata) and the GETs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TooManyRequestsRetryTest {

    /** Retry-After 1 s, measured between two answers' end and the next request: allow a little clock slack. */
    private static final long ONE_SECOND_NANOS = Duration.ofMillis(950).toNanos();

    @TempDir
    static Path temp;
    static SyncedPair f;

    @BeforeAll
    static void start() throws Exception {
        f = SyncedPair.startSyncing(temp, 41, 42, GeneratorSpec.small(), pair -> Map.of(
                "sync.dataValues.pageSize", "50", "sync.completeRegistrations.pageSize", "50",
                "metadata.sync.retry", "3", "sync.events.parallelism", "1", "sync.tracker.parallelism", "1"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clearFaults() {
        f.pair.central().faults().clear();
        f.pair.local().faults().clear();
        f.pair.central().requests().clear();
        f.pair.local().requests().clear();
    }

    @Test
    @Order(1)
    @Contract("SYS-5")
    void dataValuesAndRegistrationsAreRetriedAfter429And503WithRetryAfter() {
        Dhis2Instance central = f.pair.central();
        // Retry-After as an HTTP date (RFC 9110, whole seconds): well over a second after the first answer
        central.faults().on("POST", "/api/dataValueSets").requests(1)
                .fail(Fault.status(429, httpDate(Duration.ofSeconds(3))));
        central.faults().on("POST", "/api/dataValueSets").requests(2).fail(Fault.status(429, "1"));
        central.faults().on("POST", "/api/completeDataSetRegistrations").requests(1, 2)
                .fail(Fault.status(503, "1"));

        JobRun run = f.run("DATA_SYNC");

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertRetriedTwiceThenAccepted(central.requests().matching("POST", "/api/dataValueSets"), 429);
        assertRetriedTwiceThenAccepted(central.requests().matching("POST", "/api/completeDataSetRegistrations"),
                503);
        assertThat(central.aggregate().count()).isPositive();
    }

    @Test
    @Order(2)
    void eventPostsAreRetriedAfter429() {
        f.pair.central().faults().on("POST", "/api/tracker").requests(1, 2).fail(Fault.status(429, "1"));

        JobRun run = f.run("EVENT_PROGRAMS_DATA_SYNC");

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertRetriedTwiceThenAccepted(f.pair.central().requests().matching("POST", "/api/tracker"), 429);
    }

    @Test
    @Order(3)
    void trackerPostsAndLocalExportsAreRetriedAfter429() {
        f.pair.central().faults().on("POST", "/api/tracker").requests(1, 2).fail(Fault.status(429, "1"));
        f.pair.local().faults().on("GET", "/api/tracker/trackedEntities").requests(1, 2)
                .fail(Fault.status(429, "1"));

        JobRun run = f.run("TRACKER_PROGRAMS_DATA_SYNC");

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertRetriedTwiceThenAccepted(f.pair.central().requests().matching("POST", "/api/tracker"), 429);
        assertRetriedTwiceThenAccepted(f.pair.local().requests().matching("GET", "/api/tracker/trackedEntities"),
                429);
    }

    @Test
    @Order(4)
    void metadataDownloadsAndLocalImportsAreRetriedAfter429() {
        f.pair.central().faults().on("GET", "/api/metadata/version/history").requests(1, 2)
                .fail(Fault.status(429, "1"));
        f.pair.local().faults().on("GET", "/api/metadata/sync").requests(1, 2).fail(Fault.status(429, "1"));

        JobRun run = f.run("META_DATA_SYNC");

        assertThat(run.status()).as(run.summary()).isEqualTo(JobRun.Status.SUCCESS);
        assertRetriedTwiceThenAccepted(f.pair.central().requests().matching("GET", "/api/metadata/version/history"),
                429);
        assertRetriedTwiceThenAccepted(f.pair.local().requests().matching("GET", "/api/metadata/sync"), 429);
    }

    /**
     * The first three requests: status, status, then DHIS2's own answer (200, or 409 for an import with errors,
     * e.g. deletions of objects central never had), all with the same body, each retry at least ~1 s after.
     */
    private static void assertRetriedTwiceThenAccepted(List<RequestLog.Entry> requests, int status) {
        assertThat(requests).as("three attempts").hasSizeGreaterThanOrEqualTo(3);
        assertThat(requests.subList(0, 2)).extracting(RequestLog.Entry::status).containsExactly(status, status);
        assertThat(requests.get(2).status()).as("third attempt answered by DHIS2").isIn(200, 409);
        assertThat(requests.get(1).bodyText()).isEqualTo(requests.get(0).bodyText());
        assertThat(requests.get(2).bodyText()).isEqualTo(requests.get(0).bodyText());
        for (int i = 1; i < 3; i++) {
            long waited = requests.get(i).receivedNanos() - requests.get(i - 1).answeredNanos();
            assertThat(waited).as("wait before attempt %d (ns), Retry-After honoured", i + 1)
                    .isGreaterThanOrEqualTo(ONE_SECOND_NANOS);
        }
    }

    private static String httpDate(Duration fromNow) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC)
                .plus(fromNow).withNano(0));
    }
}
