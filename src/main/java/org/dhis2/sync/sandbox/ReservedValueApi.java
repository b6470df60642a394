package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Reserved values of tracked entity attributes (TrackedEntityAttributeController, reference §5):
 * {@code generateAndReserve} (1..1000 values, 60 days), {@code generate} (one value, 3 days), {@code requiredValues}.
 */
final class ReservedValueApi {

    private ReservedValueApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
        router.get("/api/trackedEntityAttributes/{uid}/generateAndReserve", (req, res) -> {
            int count = req.intParam("numberToReserve", 1);
            if (count < 1 || count > 1000) {
                throw Dhis2Exception.badRequest("You can only reserve between 1 and 1000 values in a single request.");
            }
            var values = reserve(instance, req, count, req.intParam("expiration", 60));
            res.streamJson(200, g -> {
                g.writeStartArray();
                for (var v : values) {
                    SandboxJson.MAPPER.writeTree(g, json(v));
                }
                g.writeEndArray();
            });
        });
        router.get("/api/trackedEntityAttributes/{uid}/generate", (req, res) ->
                res.json(200, json(reserve(instance, req, 1, req.intParam("expiration", 3)).get(0))));
        router.get("/api/trackedEntityAttributes/{uid}/requiredValues", (req, res) -> {
            ReservedValuePattern pattern = pattern(instance, req.pathVariable("uid"));
            ObjectNode node = SandboxJson.object();
            pattern.required().forEach(node.putArray("REQUIRED")::add);
            pattern.optional().forEach(node.putArray("OPTIONAL")::add);
            res.json(200, node);
        });
    }

    private static List<ReservedValueStore.ReservedValue> reserve(Dhis2Instance instance, SandboxRequest req,
                                                                  int count, int expirationDays) {
        String uid = req.pathVariable("uid");
        ReservedValuePattern pattern = pattern(instance, uid);
        String orgUnitCode = req.param("ORG_UNIT_CODE").orElse(null);
        if (pattern.needsOrgUnitCode() && (orgUnitCode == null || orgUnitCode.isBlank())) {
            throw Dhis2Exception.conflict("Missing required values: ORG_UNIT_CODE", null);
        }
        return instance.reservedValues().reserve(uid, pattern, count, Duration.ofDays(expirationDays), orgUnitCode);
    }

    /** The attribute's pattern: unknown attribute → 404; not generated or no pattern → 400. */
    private static ReservedValuePattern pattern(Dhis2Instance instance, String uid) {
        ObjectNode attribute = instance.catalog().get("trackedEntityAttributes", uid).orElseThrow(() ->
                Dhis2Exception.notFound("TrackedEntityAttribute with id " + uid + " could not be found."));
        String pattern = attribute.path("pattern").asText("");
        if (!attribute.path("generated").asBoolean(false) || pattern.isBlank()) {
            throw Dhis2Exception.badRequest("Attribute does not contain pattern.");
        }
        return ReservedValuePattern.parse(pattern);
    }

    private static ObjectNode json(ReservedValueStore.ReservedValue v) {
        ObjectNode node = SandboxJson.object();
        node.put("ownerObject", "TRACKEDENTITYATTRIBUTE");
        node.put("ownerUid", v.ownerUid());
        node.put("key", v.key());
        node.put("value", v.value());
        node.put("created", Dhis2Dates.tracker(v.created()));
        node.put("expiryDate", Dhis2Dates.tracker(v.expiryDate()));
        return node;
    }
}
