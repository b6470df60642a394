package org.dhis2.sync.tracker;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dhis2.sync.engine.SyncedPair;
import org.dhis2.sync.sandbox.Dhis2Instance;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * A sandbox pair with generated data (central records request bodies) and an engine syncing it over real HTTP;
 * runs the tracker jobs and reads what central stores and what the bookkeeping says.
 */
final class TrackerSyncFixture extends SyncedPair {

    static final String EVENTS_JOB = "EVENT_PROGRAMS_DATA_SYNC";
    static final String TRACKER_JOB = "TRACKER_PROGRAMS_DATA_SYNC";

    private TrackerSyncFixture(SyncedPair started) {
        super(started);
    }

    static TrackerSyncFixture start(Path temp, int localVersion, int centralVersion, GeneratorSpec spec,
                                    Map<String, String> overrides) throws Exception {
        return start(temp, localVersion, centralVersion, spec, p -> overrides);
    }

    /** As above, with settings that depend on the generated data (e.g. program UIDs). */
    static TrackerSyncFixture start(Path temp, int localVersion, int centralVersion, GeneratorSpec spec,
                                    Function<SandboxPair, Map<String, String>> overrides) throws Exception {
        return new TrackerSyncFixture(SyncedPair.startSyncing(temp, localVersion, centralVersion, spec, pair -> {
            pair.central().requests().setRecordBodies(true);
            return overrides.apply(pair);
        }));
    }

    Dhis2Instance local() {
        return pair.local();
    }

    Dhis2Instance central() {
        return pair.central();
    }

    /** UIDs of the live objects of a kind; events of event programs (no enrollment) or of tracker programs. */
    static Set<String> alive(Dhis2Instance instance, Kind kind, boolean programEvents) {
        return instance.tracker().query(kind, null, null, i -> !i.deleted()
                        && (kind != Kind.EVENT || (i.text("enrollment") == null) == programEvents), false, 0, -1, false)
                .items().stream().map(Item::uid).collect(Collectors.toSet());
    }

    /** The bookkeeping state of an object (null when unknown). */
    String state(TrackerType kind, String uid) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select state from sync_item where kind = ? and uid = ?")) {
            s.setString(1, kind.name());
            s.setString(2, uid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Number of objects of a kind in a state. */
    int countInState(TrackerType kind, String state) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select count(*) from sync_item where kind = ? and state = ?")) {
            s.setString(1, kind.name());
            s.setString(2, state);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Conflicts stored for an object by a run. */
    int conflicts(TrackerType kind, String uid, long runId) throws Exception {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select count(*) from import_conflict where kind = ? and uid = ? and run_id = ?")) {
            s.setString(1, kind.name());
            s.setString(2, uid);
            s.setLong(3, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
