package org.dhis2.sync.job;

import java.time.Duration;
import java.time.Instant;

/**
 * What one run of a stage did, in numbers: reported by the stage when it ends, published as metrics when its job
 * run ends ({@link JobCoordinator#finish(JobRun)}).
 *
 * @param stage       metric label: dataValues, completeRegistrations, events, trackedEntities, metadataVersions
 * @param sent        objects sent (pushed to central; for metadataVersions: versions sent to the local import)
 * @param settled     of those, the ones the receiver answered for: accepted, or rejected and recorded as a conflict
 * @param conflicts   of the settled ones, those rejected (recorded in import_conflict)
 * @param pagesFailed pages (metadata: versions) that did not settle: retries exhausted, aborted or unreadable answer
 * @param duration    how long the stage ran
 * @param succeeded   the stage ended without a failure (its process in the progress tree is SUCCESS)
 */
public record StageOutcome(String stage, long sent, long settled, long conflicts, long pagesFailed,
                           Duration duration, boolean succeeded) {

    public static StageOutcome of(String stage, long sent, long settled, long conflicts, long pagesFailed,
                                  Instant started, boolean succeeded) {
        return new StageOutcome(stage, sent, settled, conflicts, pagesFailed, Duration.between(started,
                Instant.now()), succeeded);
    }
}
