package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Reads an import body with a streaming parser: the elements of the named top-level arrays are handed over one
 * object at a time, so a large payload is never parsed into one tree. A body that is a single object without any
 * of the arrays (the old API accepts one event or one TEI) is handed over as that object, under key {@code null}.
 */
final class TrackerJsonReader {

    interface Consumer {
        void accept(String collection, ObjectNode object);
    }

    private TrackerJsonReader() {
    }

    static void read(InputStream body, Set<String> collections, Consumer consumer) {
        try (JsonParser p = SandboxJson.FACTORY.createParser(body)) {
            p.setCodec(SandboxJson.MAPPER);
            JsonToken first = p.nextToken();
            if (first == null) {
                throw Dhis2Exception.badRequest("Request body is empty");
            }
            if (first == JsonToken.START_ARRAY) {
                readArray(p, null, consumer);
                return;
            }
            if (first != JsonToken.START_OBJECT) {
                throw Dhis2Exception.badRequest("JSON parse error: expected an object");
            }
            ObjectNode rest = SandboxJson.object();
            boolean sawCollection = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (collections.contains(name) && value == JsonToken.START_ARRAY) {
                    sawCollection = true;
                    readArray(p, name, consumer);
                } else {
                    JsonNode tree = p.readValueAsTree();
                    rest.set(name, tree);
                }
            }
            if (!sawCollection && !rest.isEmpty()) {
                consumer.accept(null, rest);
            }
        } catch (IOException e) {
            throw Dhis2Exception.badRequest("JSON parse error: " + e.getMessage());
        }
    }

    private static void readArray(JsonParser p, String name, Consumer consumer) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            consumer.accept(name, p.readValueAsTree());
        }
    }
}
