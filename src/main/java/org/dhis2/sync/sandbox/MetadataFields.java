package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DHIS2's {@code fields} parameter on metadata lists and objects (META-19): {@code a,b} keeps those properties,
 * {@code *} / {@code :all} every one, {@code !a} drops one, {@code a[x,y]} keeps {@code a} with the nested selection
 * applied to it, to each element of a collection, and to the object a reference points at: DHIS2 serializes a
 * referenced identifiable object (a program's {@code programStages}, an attribute link's
 * {@code trackedEntityAttribute}) with the nested fields, so {@code programStages[id,programStageDataElements]}
 * answers the stages' data elements, not just their ids. {@code displayName} falls back to {@code name}. Without
 * the parameter the sandbox answers whole objects (DHIS2 answers {@code id,displayName} on lists).
 */
final class MetadataFields {

    private final boolean all;
    private final Set<String> included = new LinkedHashSet<>();
    private final Set<String> excluded = new LinkedHashSet<>();
    private final Map<String, MetadataFields> nested = new LinkedHashMap<>();

    private MetadataFields(boolean all) {
        this.all = all;
    }

    /** The parsed selector, or empty when there is none. */
    static Optional<MetadataFields> parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parseInner(selector));
    }

    private static MetadataFields parseInner(String selector) {
        boolean star = false;
        MetadataFields f = new MetadataFields(false);
        for (String token : FieldTokens.split(selector)) {
            if (token.equals("*") || token.equals(":all") || token.equals(":owner")) {
                star = true;
            } else if (token.startsWith("!")) {
                f.excluded.add(token.substring(1));
            } else if (token.contains("[") && token.endsWith("]")) {
                String name = token.substring(0, token.indexOf('['));
                f.included.add(name);
                f.nested.put(name, parseInner(token.substring(token.indexOf('[') + 1, token.length() - 1)));
            } else {
                f.included.add(token);
            }
        }
        if (!star) {
            return f;
        }
        MetadataFields withStar = new MetadataFields(true);
        withStar.included.addAll(f.included);
        withStar.excluded.addAll(f.excluded);
        withStar.nested.putAll(f.nested);
        return withStar;
    }

    /** The object with the selected properties, references expanded from the catalog where a selection nests. */
    ObjectNode apply(ObjectNode object, MetadataCatalog catalog) {
        ObjectNode out = SandboxJson.object();
        if (all) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!excluded.contains(e.getKey())) {
                    out.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
        for (String name : included) {
            if (excluded.contains(name)) {
                continue;
            }
            JsonNode value = object.get(name);
            if (value == null && "displayName".equals(name)) {
                value = object.get("name");
            }
            if (value == null || value.isNull()) {
                out.remove(name); // DHIS2 leaves out properties without a value
                continue;
            }
            MetadataFields inner = nested.get(name);
            out.set(name, inner == null ? value.deepCopy() : inner.applyTo(value, catalog));
        }
        return out;
    }

    private JsonNode applyTo(JsonNode value, MetadataCatalog catalog) {
        if (value instanceof ArrayNode array) {
            ArrayNode out = SandboxJson.array();
            array.forEach(element -> out.add(applyTo(element, catalog)));
            return out;
        }
        if (value instanceof ObjectNode o) {
            return apply(resolve(o, catalog), catalog);
        }
        return value.deepCopy();
    }

    /** A reference ({@code {"id": ...}} and little else) replaced by the object it points at, when known. */
    private static ObjectNode resolve(ObjectNode o, MetadataCatalog catalog) {
        String id = o.path("id").asText(null);
        if (id == null || o.size() > 2) {
            return o;
        }
        for (String type : catalog.types()) {
            Optional<ObjectNode> found = catalog.get(type, id);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return o;
    }
}
