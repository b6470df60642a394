package org.dhis2.sync.tracker;

import java.nio.file.Path;
import java.util.Map;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One small generated sandbox pair and one engine syncing it for all the tests of a class, which build on each
 * other in order: started before the first test, closed after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TrackerSyncTestBase {

    private final int localVersion;
    private final int centralVersion;
    private final String jobType;
    private final Map<String, String> overrides;
    TrackerSyncFixture sync;
    SandboxPair pair;

    TrackerSyncTestBase(int localVersion, int centralVersion, String jobType, Map<String, String> overrides) {
        this.localVersion = localVersion;
        this.centralVersion = centralVersion;
        this.jobType = jobType;
        this.overrides = overrides;
    }

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        sync = TrackerSyncFixture.start(temp, localVersion, centralVersion, GeneratorSpec.small(), overrides);
        pair = sync.pair;
    }

    @AfterAll
    void stop() {
        if (sync != null) {
            sync.close();
        }
    }

    /** Runs the class's job now and returns the finished run. */
    JobRun run() {
        return sync.run(jobType);
    }
}
