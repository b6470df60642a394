package org.dhis2.sync.metadata;

import java.util.ArrayDeque;
import java.util.Deque;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;

/** What one metadata pull knows so far; kept in the exchange variable {@value #VARIABLE}. */
final class MetadataSyncState {
    /** Versions still pending when the engine's shutdown stopped the pull (0 = not stopped). */
    int stoppedWith;


    static final String VARIABLE = "metadataSync";

    final JobRun run;
    JobProgress.Process comparison;
    JobProgress.Process synchronization;
    JobProgress.Stage stage;
    String localDhis2Version;
    String localCurrentVersion;
    String localCurrentHash;
    String baseline;
    String phase = "current version";
    final Deque<RemoteVersion> pending = new ArrayDeque<>();
    RemoteVersion current;
    ImportReportJudge.Judgement lastJudgement;
    int imported;

    MetadataSyncState(JobRun run) {
        this.run = run;
    }
}
