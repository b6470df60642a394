package org.dhis2.sync.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;

/** The metadata_version table: which versions this engine imported into the local instance, and which failed. */
public final class MetadataVersionBookkeeping {

    private final DataSource dataSource;
    private final String syncPair;

    public MetadataVersionBookkeeping(DataSource dataSource, String syncPair) {
        this.dataSource = dataSource;
        this.syncPair = syncPair;
    }

    /** The newest version (by creation) this engine imported, the baseline of the next pull. */
    public Optional<String> baseline() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("metadata-version-baseline"))) {
            s.setString(1, syncPair);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the metadata version baseline: " + e.getMessage(), e);
        }
    }

    public void recordImported(RemoteVersion v, Instant importedAt, String reportJson) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("metadata-version-imported"))) {
            s.setString(1, syncPair);
            s.setString(2, v.name());
            s.setString(3, v.type());
            s.setString(4, v.hash() == null ? "" : v.hash());
            s.setTimestamp(5, Timestamp.from(v.created()));
            s.setTimestamp(6, Timestamp.from(importedAt));
            s.setString(7, reportJson);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record imported metadata version " + v.name() + ": "
                    + e.getMessage(), e);
        }
    }

    public void recordFailed(RemoteVersion v, Instant failedAt, String message, String reportJson) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("metadata-version-failed"))) {
            s.setString(1, syncPair);
            s.setString(2, v.name());
            s.setString(3, v.type());
            s.setString(4, v.hash() == null ? "" : v.hash());
            s.setTimestamp(5, Timestamp.from(v.created()));
            s.setString(6, reportJson);
            s.setTimestamp(7, Timestamp.from(failedAt));
            s.setString(8, message);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record failed metadata version " + v.name() + ": "
                    + e.getMessage(), e);
        }
    }
}
