package org.dhis2.sync.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The checks of a downloaded metadata snapshot before the local server is asked to apply it: gunzip (DHIS2 serves
 * data.gz without Content-Encoding, so the gzip magic bytes decide), MD5 check against the advertised hashCode
 * (DHIS2's HashCodeGenerator), and the snapshot's own {@code system.version}.
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
}
