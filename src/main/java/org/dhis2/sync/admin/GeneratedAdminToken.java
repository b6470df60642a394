package org.dhis2.sync.admin;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;

/**
 * The admin API token for an engine configured without sync.admin.* credentials. There is no anonymous default:
 * the first start generates a random token, keeps only its SHA-256 in the bookkeeping database (so restarts and
 * other nodes on the same database accept it) and shows the token itself once.
 */
public final class GeneratedAdminToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedAdminToken() {
    }

    /**
     * The SHA-256 of the generated token, generating and announcing it when there is none yet.
     *
     * @param announce where the new token is shown (stdout)
     */
    public static byte[] digest(DataSource dataSource, PrintStream announce) {
        Optional<byte[]> stored = stored(dataSource);
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] digest = AdminAuthentication.sha256(token);
        if (insert(dataSource, digest)) {
            // The one place a secret is printed: it was generated here and exists nowhere else, so the operator has
            // to be told it once. It goes to stdout only (not the logger, whose output may be shipped elsewhere),
            // and only the start that created it shows it.
            announce.println();
            announce.println("=".repeat(100));
            announce.println("dhis2-sync admin API: no sync.admin.username/password or sync.admin.token is configured,");
            announce.println("so this token was generated. It is shown ONLY NOW (the engine keeps just its hash):");
            announce.println();
            announce.println("    Authorization: Bearer " + token);
            announce.println();
            announce.println("Set sync.admin.token (or username/password) to choose your own credentials instead.");
            announce.println("=".repeat(100));
            announce.flush();
            return digest;
        }
        return stored(dataSource).orElseThrow(() -> new IllegalStateException("admin API token not stored"));
    }

    private static Optional<byte[]> stored(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("admin-token-select"));
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(HexFormat.of().parseHex(rs.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the admin API token: " + e.getMessage(), e);
        }
    }

    private static boolean insert(DataSource dataSource, byte[] digest) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SqlFile.get("admin-token-insert"))) {
            s.setString(1, HexFormat.of().formatHex(digest));
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the admin API token: " + e.getMessage(), e);
        }
    }
}
