package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Metadata lists as DHIS2's generic controllers serve them: {@code GET /api/{collection}} with the list shape
 * {@code {"pager":{page,pageCount,total,pageSize},"<collection>":[...]}} ({@code paging=false}: no pager) and
 * {@code GET /api/{collection}/{uid}}. {@code fields} is accepted and ignored (whole objects are returned);
 * {@code filter=property:eq:x} and {@code property:in:[a,b]} are applied.
 *
 * <p>The templates are generic, so this must be registered after every specific endpoint (Dhis2Instance.routes).
 */
final class MetadataListApi {

    private static final int DEFAULT_PAGE_SIZE = 50;

    /** Collections a DHIS2 server always has (empty here unless a generator filled them). */
    private static final Set<String> KNOWN = Set.of("organisationUnits", "organisationUnitGroups",
            "organisationUnitLevels", "dataSets", "dataElements", "dataElementGroups", "categoryOptionCombos",
            "categoryCombos", "categories", "categoryOptions", "programs", "programStages",
            "trackedEntityAttributes", "trackedEntityTypes", "optionSets", "options", "relationshipTypes",
            "indicators", "users", "userGroups", "userRoles", "attributes", "legendSets");

    private MetadataListApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        router.get("/api/{collection}", (req, res) -> list(instance, req, res));
        router.get("/api/{collection}/{uid}", (req, res) -> one(instance, req, res));
    }

    private static void list(Dhis2Instance instance, SandboxRequest req, SandboxResponse res) {
        String collection = req.pathVariable("collection");
        requireCollection(instance, req, collection);
        Predicate<ObjectNode> filter = filter(req.query().getOrDefault("filter", List.of()));
        if (MetadataOrgUnits.COLLECTION.equals(collection)) {
            filter = filter.and(levelFilter(req));
        }
        Optional<MetadataFields> fields = MetadataFields.parse(req.param("fields").orElse(null));
        List<ObjectNode> all = instance.catalog().list(collection).stream().filter(filter)
                .map(o -> fields.map(f -> f.apply(o, instance.catalog())).orElse(o)).toList();
        boolean paging = req.flag("paging", true);
        int pageSize = Math.max(1, req.intParam("pageSize", DEFAULT_PAGE_SIZE));
        int pageCount = Math.max(1, (all.size() + pageSize - 1) / pageSize);
        int page = Math.max(1, req.intParam("page", 1));
        List<ObjectNode> items = paging
                ? all.subList(Math.min(all.size(), (page - 1) * pageSize), Math.min(all.size(), page * pageSize))
                : all;
        res.streamJson(200, json -> {
            json.writeStartObject();
            if (paging) {
                json.writeObjectFieldStart("pager");
                json.writeNumberField("page", page);
                json.writeNumberField("pageCount", pageCount);
                json.writeNumberField("total", all.size());
                json.writeNumberField("pageSize", pageSize);
                json.writeEndObject();
            }
            json.writeArrayFieldStart(collection);
            for (ObjectNode item : items) {
                json.writeTree(item);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void one(Dhis2Instance instance, SandboxRequest req, SandboxResponse res) {
        String collection = req.pathVariable("collection");
        requireCollection(instance, req, collection);
        String uid = req.pathVariable("uid");
        ObjectNode object = instance.catalog().get(collection, uid)
                .orElseThrow(() -> Dhis2Exception.notFound(typeName(collection) + " with id " + uid
                        + " could not be found."));
        Optional<MetadataFields> fields = MetadataFields.parse(req.param("fields").orElse(null));
        res.json(200, fields.map(f -> f.apply(object, instance.catalog())).orElse(object));
    }

    private static void requireCollection(Dhis2Instance instance, SandboxRequest req, String collection) {
        if (!KNOWN.contains(collection) && !instance.catalog().types().contains(collection)) {
            throw Dhis2Exception.notFound("No endpoint GET " + req.path() + " in DHIS2 " + instance.version());
        }
    }

    /** {@code dataElements} → {@code DataElement}, as DHIS2 names the class in its 404 message. */
    static String typeName(String collection) {
        String singular = collection.endsWith("ies") ? collection.substring(0, collection.length() - 3) + "y"
                : collection.endsWith("s") ? collection.substring(0, collection.length() - 1) : collection;
        return Character.toUpperCase(singular.charAt(0)) + singular.substring(1);
    }

    /** All filters must hold (DHIS2's default rootJunction AND); unknown operators are ignored. */
    private static Predicate<ObjectNode> filter(List<String> filters) {
        Predicate<ObjectNode> all = o -> true;
        for (String f : filters) {
            String[] parts = f.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            String property = parts[0];
            String operator = parts[1];
            String value = parts[2];
            Predicate<ObjectNode> p = switch (operator) {
                case "eq" -> o -> value.equals(text(o, property));
                case "in" -> {
                    Set<String> values = Set.of(value.replaceAll("^\\[|]$", "").split(","));
                    yield o -> values.contains(text(o, property));
                }
                case "ilike" -> o -> text(o, property) != null
                        && text(o, property).toLowerCase().contains(value.toLowerCase());
                default -> null;
            };
            if (p != null) {
                all = all.and(p);
            }
        }
        return all;
    }

    /**
     * OrganisationUnitController.getObjectList: {@code level=N} keeps hierarchy level N, {@code maxLevel=M} levels up
     * to M (OrganisationUnitQueryParams → hierarchyLevel in the store query).
     */
    private static Predicate<ObjectNode> levelFilter(SandboxRequest req) {
        Predicate<ObjectNode> p = o -> true;
        if (req.param("level").isPresent()) {
            int level = req.intParam("level", 0);
            p = p.and(o -> MetadataOrgUnits.level(o) == level);
        }
        if (req.param("maxLevel").isPresent()) {
            int max = req.intParam("maxLevel", Integer.MAX_VALUE);
            p = p.and(o -> MetadataOrgUnits.level(o) <= max);
        }
        return p;
    }

    /** A (possibly dotted) property as text: {@code parent.id}. */
    private static String text(ObjectNode o, String property) {
        com.fasterxml.jackson.databind.JsonNode node = o;
        for (String part : property.split("\\.")) {
            node = node.path(part);
        }
        return node.isValueNode() ? node.asText() : null;
    }

}
