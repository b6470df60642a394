package org.dhis2.sync.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.dhis2.sync.config.ConfigLoader;
import org.dhis2.sync.config.SyncSettings;

/**
 * Run in a child JVM by {@link EmbeddedStartupTest}: opens the embedded bookkeeping database on the data directory
 * given as argument, records a job run, prints READY and waits to be killed.
 */
public final class HoldBookkeepingDatabase {

    private HoldBookkeepingDatabase() {
    }

    public static void main(String[] args) throws Exception {
        BookkeepingDatabase db = BookkeepingDatabase.open(settings(Path.of(args[0]), true));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into job_run (job_id, job_type, status) values ('held-" + ProcessHandle.current()
                    .pid() + "', 'DATA_SYNC', 'RUNNING')");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static SyncSettings settings(Path dataDir, boolean durable) {
        return SyncSettings.forValidation(ConfigLoader.load(null, Map.of(), Map.of(
                "sync.db.embedded.dataDir", dataDir.toString(),
                "sync.db.embedded.durable", String.valueOf(durable))));
    }
}
