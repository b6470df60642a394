package org.dhis2.sync.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A metadata version as DHIS2 lists it ({@code /api/metadata/versions}, {@code /history}): name, type, creation time
 * and the MD5 {@code hashCode} of its snapshot.
 */
public record RemoteVersion(String name, String type, Instant created, String id, String hash) {

    /** DHIS2 writes 2016-06-30T06:01:23.680+0000; ISO forms (Z, +00:00, no millis) are read too. */
    private static final DateTimeFormatter DHIS2_DATE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();

    /** Creation order: DHIS2's own order is by {@code created}; equal times fall back to the version number. */
    public static final Comparator<RemoteVersion> CREATION_ORDER = Comparator.comparing(RemoteVersion::created)
            .thenComparingLong(RemoteVersion::number).thenComparing(RemoteVersion::name);

    public boolean atomic() {
        return !"BEST_EFFORT".equalsIgnoreCase(type);
    }

    /** The number after the last "_" of the name (DHIS2 names versions Version_N), or 0. */
    public long number() {
        try {
            return Long.parseLong(name.substring(name.lastIndexOf('_') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static RemoteVersion of(JsonNode node) {
        String name = node.path("name").asText(null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("metadata version without a name: " + node);
        }
        return new RemoteVersion(name, node.path("type").asText("BEST_EFFORT"), parseDate(node.path("created").asText("")),
                node.path("id").asText(null), node.path("hashCode").asText(null));
    }

    /** The versions of a {@code {"metadataversions":[...]}} answer in creation order, whatever order it listed them. */
    public static List<RemoteVersion> listInCreationOrder(JsonNode answer) {
        List<RemoteVersion> versions = new ArrayList<>();
        answer.path("metadataversions").forEach(v -> versions.add(of(v)));
        versions.sort(CREATION_ORDER);
        return versions;
    }

    static Instant parseDate(String text) {
        if (text == null || text.isBlank()) {
            return Instant.EPOCH;
        }
        var parsed = DHIS2_DATE.parseBest(text.trim(), OffsetDateTime::from, java.time.LocalDateTime::from);
        if (parsed instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.time.LocalDateTime) parsed).toInstant(java.time.ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return name + " (" + type + ")";
    }
}
