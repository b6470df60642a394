package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Metadata exports in DHIS2's snapshot shape {@code {"system":{"id","rev","version","date"},"<collection>":[...]}}:
 * what a metadata version stores (DefaultMetadataExportService with {@code lastUpdated:gte:<previous created>}).
 */
final class MetadataSnapshots {

    private MetadataSnapshots() {
    }

    /** Objects of the catalog updated at or after {@code since} (all objects when null), types in name order. */
    static String export(Dhis2Instance instance, Instant since, Instant date) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = SandboxJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeSystem(g, instance, date);
            for (String type : instance.catalog().types().stream().sorted().toList()) {
                List<ObjectNode> objects = instance.catalog().list(type).stream()
                        .filter(o -> since == null || !updatedAt(o).isBefore(since))
                        .toList();
                if (objects.isEmpty()) {
                    continue;
                }
                g.writeArrayFieldStart(type);
                for (ObjectNode o : objects) {
                    SandboxJson.MAPPER.writeTree(g, o);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static void writeSystem(JsonGenerator g, Dhis2Instance instance, Instant date) throws IOException {
        g.writeObjectFieldStart("system");
        g.writeStringField("id", instance.systemId());
        g.writeStringField("rev", "sandbox");
        g.writeStringField("version", instance.version().toString());
        g.writeStringField("date", Dhis2Dates.tracker(date));
        g.writeEndObject();
    }

    /** An object's lastUpdated; unreadable or missing counts as "changed" so that it is never lost from a delta. */
    private static Instant updatedAt(ObjectNode o) {
        String text = o.path("lastUpdated").asText("");
        try {
            return text.isEmpty() ? Instant.MAX : Dhis2Dates.parse(text);
        } catch (IllegalArgumentException e) {
            return Instant.MAX;
        }
    }
}
