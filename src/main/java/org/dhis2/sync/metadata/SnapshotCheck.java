package org.dhis2.sync.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * What happens to a downloaded metadata snapshot before it is imported: gunzip (DHIS2 serves data.gz without
 * Content-Encoding, so the gzip magic bytes decide), MD5 check against the advertised hashCode (DHIS2's
 * HashCodeGenerator), the snapshot's own {@code system.version}, and removal of what must never be copied from
 * central to a field instance: job configurations and user passwords.
 */
public final class SnapshotCheck {

    private SnapshotCheck() {
    }

    public static String text(byte[] body) {
        if (body == null) {
            return "";
        }
        if (body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("metadata snapshot is not valid gzip: " + e.getMessage(), e);
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Lowercase hex MD5 of the UTF-8 bytes. */
    public static String md5(String snapshot) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("MD5").digest(snapshot.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The DHIS2 version that exported the snapshot ({@code system.version}), or null when absent. */
    public static String systemVersion(JsonNode snapshot) {
        String v = snapshot.path("system").path("version").asText("").trim();
        return v.isEmpty() ? null : v;
    }

    /**
     * DHIS2's "Don't sync metadata if DHIS2 versions differ": a mismatch only when both versions are known and
     * differ (trimmed), as in DefaultMetadataSyncService.
     */
    public static boolean versionsDiffer(String localVersion, String snapshotVersion) {
        if (localVersion == null || localVersion.isBlank() || snapshotVersion == null) {
            return false;
        }
        return !localVersion.trim().equals(snapshotVersion.trim());
    }

    /**
     * Removes job configurations (DHIS2's MetadataSyncImportHandler does) and user passwords (a field instance
     * must never get central's password hashes). Returns what was removed, for the progress summary.
     */
    public static String clean(ObjectNode snapshot) {
        int jobs = snapshot.path("jobConfigurations").size();
        snapshot.remove("jobConfigurations");
        int passwords = 0;
        for (JsonNode user : snapshot.path("users")) {
            passwords += removePassword(user);
            passwords += removePassword(user.path("userCredentials"));
        }
        for (JsonNode credentials : snapshot.path("userCredentials")) {
            passwords += removePassword(credentials);
        }
        return jobs == 0 && passwords == 0 ? "" : "removed " + jobs + " job configuration(s) and " + passwords
                + " user password(s)";
    }

    private static int removePassword(JsonNode node) {
        if (node instanceof ObjectNode o && o.has("password")) {
            o.remove("password");
            return 1;
        }
        return 0;
    }
}
