package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/metadata}: a metadata export (gzip sniffed, read with a streaming parser, "system" skipped)
 * imported into the catalog with DHIS2's preheat checks (E5000/E5001 per import strategy, E5002 for a reference
 * that is neither in the catalog nor in the payload, E4053 for a stage without program) and atomicMode
 * ALL (any error → nothing imported, status ERROR) or NONE (valid objects imported, status WARNING).
 */
final class MetadataImporter {

    /** The sandbox user as DHIS2's PreheatIdentifier names it in security error messages. */
    private static final String USER_NAME = "[M5zQapPyTZI] (User)";

    private MetadataImporter() {
    }

    private record Item(String collection, int index, ObjectNode object, List<ObjectNode> errors) {
        String uid() {
            return object.path("id").asText();
        }
    }

    static void handle(Dhis2Instance instance, SandboxRequest req, SandboxResponse res) throws IOException {
        Map<String, List<ObjectNode>> payload;
        try (InputStream in = req.bodyStream()) {
            payload = read(in);
        }
        ObjectNode report = importPayload(instance, payload, req.param("importMode", "COMMIT").toUpperCase(),
                req.param("atomicMode", "ALL").toUpperCase(),
                req.param("importStrategy", "CREATE_AND_UPDATE").toUpperCase(),
                req.param("importReportMode", "ERRORS").toUpperCase(), req.param("identifier", "UID"));
        WebMessages.importReport(req, res, instance.version(), report);
    }

    /** Validates and (when allowed) commits a read payload; answers the ImportReport (with importParams). */
    static ObjectNode importPayload(Dhis2Instance instance, Map<String, List<ObjectNode>> payload, String importMode,
                                    String atomicMode, String strategy, String reportMode, String identifier) {
        ObjectNode report;
        // one import at a time per instance: validation and commit must see the same catalog
        synchronized (instance.catalog()) {
            List<Item> items = validate(instance, payload, strategy);
            boolean hasErrors = items.stream().anyMatch(i -> !i.errors().isEmpty());
            boolean atomicAll = !"NONE".equals(atomicMode);
            boolean commit = "COMMIT".equals(importMode) && !(hasErrors && atomicAll);
            String status = !hasErrors ? "OK" : atomicAll ? "ERROR" : "WARNING";
            report = report(instance, payload.keySet(), items, strategy, commit, hasErrors && atomicAll,
                    "FULL".equals(reportMode) || "DEBUG".equals(reportMode), status);
            ObjectNode params = SandboxJson.object();
            params.put("importMode", importMode);
            params.put("identifier", identifier);
            params.put("importStrategy", strategy);
            params.put("atomicMode", atomicMode);
            params.put("importReportMode", reportMode);
            report.set("importParams", params);
        }
        return report;
    }

    /** Reads {@code {"system":{…},"<collection>":[{…},…],…}} one object at a time. */
    static Map<String, List<ObjectNode>> read(InputStream in) throws IOException {
        Map<String, List<ObjectNode>> payload = new LinkedHashMap<>();
        try (JsonParser p = SandboxJson.FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Dhis2Exception.badRequest("Request body must be a metadata JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String collection = p.currentName();
                JsonToken value = p.nextToken();
                if (value != JsonToken.START_ARRAY || "system".equals(collection)) {
                    p.skipChildren();
                    continue;
                }
                List<ObjectNode> objects = payload.computeIfAbsent(collection, c -> new ArrayList<>());
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode node = SandboxJson.MAPPER.readTree(p);
                    if (node instanceof ObjectNode o) {
                        objects.add(o);
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Dhis2Exception.badRequest("JSON parse error: " + e.getOriginalMessage());
        }
        return payload;
    }

    private static List<Item> validate(Dhis2Instance instance, Map<String, List<ObjectNode>> payload,
                                       String strategy) {
        Map<String, Set<String>> payloadIds = new HashMap<>();
        payload.forEach((collection, objects) -> {
            Set<String> ids = payloadIds.computeIfAbsent(collection, c -> new HashSet<>());
            for (ObjectNode o : objects) {
                if (!o.hasNonNull("id")) {
                    o.put("id", Uids.random()); // DHIS2 assigns a UID to objects created without one
                }
                ids.add(o.path("id").asText());
            }
        });
        Set<String> stagesOfPayloadPrograms = new HashSet<>();
        payload.getOrDefault("programs", List.of())
                .forEach(p -> p.path("programStages").forEach(s -> stagesOfPayloadPrograms.add(s.path("id").asText())));

        MetadataCatalog catalog = instance.catalog();
        List<Item> items = new ArrayList<>();
        payload.forEach((collection, objects) -> {
            for (int i = 0; i < objects.size(); i++) {
                Item item = new Item(collection, i, objects.get(i), new ArrayList<>());
                String uid = item.uid();
                String self = named(collection, uid);
                boolean exists = catalog.exists(collection, uid);
                if ("CREATE".equals(strategy) && exists) {
                    item.errors().add(error(collection, uid, "E5000", "Found matching object for reference, but "
                            + "import mode is CREATE. Identifier was UID, and object was " + self + ".", null,
                            List.of("UID", self)));
                } else if (("UPDATE".equals(strategy) || "DELETE".equals(strategy)) && !exists) {
                    item.errors().add(error(collection, uid, "E5001", "No matching object for reference. "
                            + "Identifier was UID, and object was " + self + ".", null, List.of("UID", self)));
                }
                if (instance.faults().rejectedUids().contains(uid)) {
                    item.errors().add(error(collection, uid, "E3001", "User `" + USER_NAME
                            + "` is not allowed to update object `" + self + "`.", null, List.of(USER_NAME, self)));
                }
                if (!"DELETE".equals(strategy)) {
                    checkReferences(item, item.object(), catalog, payloadIds);
                    if ("programStages".equals(collection) && !item.object().path("program").has("id")
                            && !stagesOfPayloadPrograms.contains(uid)) {
                        item.errors().add(error(collection, uid, "E4053",
                                "Program stage `" + uid + "` must reference a program.", null, List.of(uid)));
                    }
                }
                items.add(item);
            }
        });
        return items;
    }

    /** Top-level references and those one level down (dataSetElements[].dataElement, …). */
    private static void checkReferences(Item item, ObjectNode object, MetadataCatalog catalog,
                                        Map<String, Set<String>> payloadIds) {
        object.fields().forEachRemaining(field -> {
            String property = field.getKey();
            JsonNode value = field.getValue();
            var target = MetadataSchema.referencedCollection(property);
            if (target.isPresent()) {
                if (MetadataSchema.USER_REFERENCES.contains(property)) {
                    return; // ReferencesCheck: user/lastUpdatedBy/createdBy are never E5002 (2.39.10+, 2.40.12+, 2.41+)
                }
                for (JsonNode ref : value.isArray() ? value : List.of(value)) {
                    String id = ref.path("id").asText(null);
                    if (id != null && !MetadataSchema.DEFAULT_UIDS.contains(id)
                            && !catalog.exists(target.get(), id)
                            && !payloadIds.getOrDefault(target.get(), Set.of()).contains(id)) {
                        String refName = named(target.get(), id);
                        String self = named(item.collection(), item.uid());
                        ObjectNode e = error(item.collection(), item.uid(), "E5002", "Invalid reference " + refName
                                + " on object " + self + " for association `" + property + "`.", property,
                                List.of(refName, self, property));
                        e.put("errorKlass", MetadataSchema.klass(target.get()));
                        e.put("value", id);
                        item.errors().add(e);
                    }
                }
            } else if (value.isArray() && object == item.object()) {
                value.forEach(nested -> {
                    if (nested instanceof ObjectNode n) {
                        checkReferences(item, n, catalog, payloadIds);
                    }
                });
            }
        });
    }

    private static ObjectNode report(Dhis2Instance instance, Set<String> collections, List<Item> items,
                                     String strategy, boolean commit, boolean ignoreAll, boolean full,
                                     String status) {
        int[] total = new int[4]; // created, updated, deleted, ignored
        ArrayNode typeReports = SandboxJson.array();
        for (String collection : collections) {
            int[] stats = new int[4];
            ArrayNode objectReports = SandboxJson.array();
            for (Item item : items) {
                if (!item.collection().equals(collection)) {
                    continue;
                }
                boolean exists = instance.catalog().exists(collection, item.uid());
                if (ignoreAll || !item.errors().isEmpty()) {
                    stats[3]++;
                } else if ("DELETE".equals(strategy)) {
                    stats[2]++;
                    if (commit) {
                        instance.catalog().remove(collection, item.uid());
                    }
                } else {
                    stats[exists ? 1 : 0]++;
                    if (commit) {
                        instance.catalog().put(collection, item.object()); // stamps lastUpdated on this server's clock
                    }
                }
                if (full || !item.errors().isEmpty()) {
                    ObjectNode objectReport = objectReports.addObject();
                    objectReport.put("klass", MetadataSchema.klass(collection));
                    objectReport.put("index", item.index());
                    objectReport.put("uid", item.uid());
                    ArrayNode errors = objectReport.putArray("errorReports");
                    item.errors().forEach(errors::add);
                }
            }
            for (int i = 0; i < 4; i++) {
                total[i] += stats[i];
            }
            ObjectNode typeReport = typeReports.addObject();
            typeReport.put("klass", MetadataSchema.klass(collection));
            typeReport.set("stats", stats(stats));
            typeReport.set("objectReports", objectReports);
        }
        if (commit && collections.contains(MetadataOrgUnits.COLLECTION)) {
            MetadataOrgUnits.derivePaths(instance.catalog());
        }
        ObjectNode report = SandboxJson.object();
        report.put("status", status);
        report.set("stats", stats(total));
        report.set("typeReports", typeReports);
        return report;
    }

    private static ObjectNode stats(int[] s) {
        ObjectNode node = SandboxJson.object();
        node.put("created", s[0]);
        node.put("updated", s[1]);
        node.put("deleted", s[2]);
        node.put("ignored", s[3]);
        node.put("total", s[0] + s[1] + s[2] + s[3]);
        return node;
    }

    /** An ErrorReport with DHIS2's field names (nulls omitted, as DHIS2 serializes it). */
    private static ObjectNode error(String collection, String uid, String code, String message, String property,
                                    List<String> args) {
        ObjectNode e = SandboxJson.object();
        e.put("message", message);
        e.put("mainKlass", MetadataSchema.klass(collection));
        e.put("mainId", uid);
        e.put("errorCode", code);
        if (property != null) {
            e.put("errorProperty", property);
        }
        ArrayNode props = e.putArray("errorProperties");
        args.forEach(props::add);
        return e;
    }

    /** DHIS2's PreheatIdentifier.UID name of an object in messages: {@code [uid] (SimpleClassName)}. */
    private static String named(String collection, String uid) {
        return "[" + uid + "] (" + MetadataSchema.simpleName(collection) + ")";
    }
}
