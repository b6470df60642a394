package org.dhis2.sync.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * One HTTP call to DHIS2 as the request ledger keeps it (table request_ledger). Holds no secret: {@code path} and
 * {@code instance} were cleaned by {@link SafeUri}.
 *
 * @param status  DHIS2's HTTP status, null when there was no answer
 * @param failure the exception class when there was no answer (I/O error, timeout), else null
 * @param bytesIn the answer's body as read, null when none was read
 */
public record LedgerRow(String syncPair, Long runId, String jobType, String stage, String step, Integer page,
                        String method, String instance, String path, Integer status, String failure, Long bytesOut,
                        Long bytesIn, long millis, int attempt, UUID requestId, Instant at) {
}
