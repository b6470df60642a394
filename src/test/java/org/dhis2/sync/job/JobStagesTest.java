package org.dhis2.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobStagesTest {

    @Test
    void metadataSyncSharesTheStagesOfEveryPushJob() {
        for (String push : List.of("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC")) {
            assertThat(JobStages.sharingStages("META_DATA_SYNC", List.of(push))).contains(push);
            assertThat(JobStages.sharingStages(push, List.of("META_DATA_SYNC"))).contains("META_DATA_SYNC");
        }
    }

    @Test
    void pushJobsOfDifferentDataRunSideBySide() {
        assertThat(JobStages.sharingStages("EVENT_PROGRAMS_DATA_SYNC",
                List.of("DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC"))).isEmpty();
        assertThat(JobStages.sharingStages("DATA_SYNC", List.of("EVENT_PROGRAMS_DATA_SYNC"))).isEmpty();
    }

    @Test
    void aJobBlocksItselfEvenWithoutKnownStages() {
        assertThat(JobStages.sharingStages("DATA_SYNC", List.of("DATA_SYNC"))).contains("DATA_SYNC");
        assertThat(JobStages.sharingStages("SOME_LATER_JOB", List.of("SOME_LATER_JOB"))).contains("SOME_LATER_JOB");
        assertThat(JobStages.sharingStages("SOME_LATER_JOB", List.of("META_DATA_SYNC"))).isEmpty();
    }
}
