package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON body of an aggregate import page: {@code {"<arrayField>": [{item}, ...]}}. */
final class PageJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes one item's fields (the object around them is written here). */
    @FunctionalInterface
    interface ItemWriter<T> {
        void write(JsonGenerator json, T item) throws IOException;
    }

    private PageJson() {
    }

    static <T> byte[] write(String arrayField, List<T> items, int bytesPerItem, ItemWriter<T> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * bytesPerItem + 48);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart(arrayField);
            for (T item : items) {
                json.writeStartObject();
                writer.write(json, item);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
