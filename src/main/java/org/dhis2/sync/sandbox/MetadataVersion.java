package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One metadata version as DHIS2 keeps it: the snapshot string is served verbatim by {@code /data}, and
 * {@code hash} (JSON {@code hashCode}) is what the receiver checks the downloaded bytes against (it need not match, so tests can
 * advertise a corrupted version).
 */
public record MetadataVersion(String id, String name, Type type, Instant created, Instant lastUpdated,
                              String hash, Instant importDate, String snapshot) {

    public enum Type { ATOMIC, BEST_EFFORT }

    /** Lowercase hex MD5 of the UTF-8 bytes, as DHIS2's HashCodeGenerator computes it. */
    public static String md5(String snapshot) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(snapshot.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A version as another instance's {@code GET /api/metadata/version?versionName=} describes it (DHIS2 reads it
     * into its MetadataVersion object: id, name, type, created, lastUpdated, hashCode).
     */
    static MetadataVersion fromJson(com.fasterxml.jackson.databind.JsonNode node, String snapshot) {
        String name = node.path("name").asText("");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("metadata version without a name");
        }
        Instant created = Dhis2Dates.parse(node.path("created").asText());
        String updated = node.path("lastUpdated").asText("");
        return new MetadataVersion(node.path("id").asText(Uids.random()), name,
                Type.valueOf(node.path("type").asText("BEST_EFFORT")), created,
                updated.isEmpty() ? created : Dhis2Dates.parse(updated), node.path("hashCode").asText(null), null,
                snapshot);
    }

    MetadataVersion withSnapshot(String text) {
        return new MetadataVersion(id, name, type, created, lastUpdated, hash, importDate, text);
    }

    public MetadataVersion withImportDate(Instant when) {
        return new MetadataVersion(id, name, type, created, lastUpdated, hash, when, snapshot);
    }

    /** The {@code MetadataVersion} object of {@code GET /api/metadata/version} (nulls omitted). */
    ObjectNode toJson() {
        ObjectNode node = SandboxJson.object();
        node.put("name", name);
        node.put("created", Dhis2Dates.dataValue(created));
        node.put("lastUpdated", Dhis2Dates.dataValue(lastUpdated));
        node.put("externalAccess", false);
        node.put("displayName", name);
        node.put("type", type.name());
        node.put("hashCode", hash);
        if (importDate != null) {
            node.put("importDate", Dhis2Dates.dataValue(importDate));
        }
        node.put("id", id);
        return node;
    }

    /** An entry of {@code /history} and {@code /versions}: DHIS2 writes the import date as lowercase "importdate". */
    ObjectNode toHistoryJson() {
        ObjectNode node = SandboxJson.object();
        node.put("name", name);
        node.put("type", type.name());
        node.put("created", Dhis2Dates.dataValue(created));
        node.put("id", id);
        if (importDate != null) {
            node.put("importdate", Dhis2Dates.dataValue(importDate));
        }
        node.put("hashCode", hash);
        return node;
    }
}
