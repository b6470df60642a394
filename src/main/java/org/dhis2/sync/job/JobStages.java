package org.dhis2.sync.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which stages each job runs. Two jobs that share a stage never run at the same time: META_DATA_SYNC pushes the data
 * that DATA_SYNC and the tracker jobs push, and two runs of one stage would race on its watermark and bookkeeping.
 */
public final class JobStages {

    private static final Map<String, Set<String>> STAGES = Map.of(
            "DATA_SYNC", Set.of("dataValues", "completeRegistrations"),
            "EVENT_PROGRAMS_DATA_SYNC", Set.of("events"),
            "TRACKER_PROGRAMS_DATA_SYNC", Set.of("trackedEntities"),
            // the download writes the push bookkeeping of tracked entities: never beside a tracker push
            "TRACKER_DOWNLOAD", Set.of("trackedEntities", "trackerDownload"),
            "META_DATA_SYNC", Set.of("dataValues", "completeRegistrations", "events", "trackedEntities",
                    "metadataVersions"),
            "RESERVED_VALUES", Set.of("reservedValues"));

    private JobStages() {
    }

    /** The stages of a job type; a job type not listed here shares none. */
    public static Set<String> of(String jobType) {
        return STAGES.getOrDefault(jobType, Set.of());
    }

    /** The first of the running job types that shares a stage with the given one (itself included). */
    public static Optional<String> sharingStages(String jobType, List<String> runningTypes) {
        Set<String> mine = of(jobType);
        return runningTypes.stream()
                .filter(other -> other.equals(jobType) || of(other).stream().anyMatch(mine::contains))
                .findFirst();
    }
}
