package org.dhis2.sync.reserved;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dhis2.sync.admin.AdminApiException;

/**
 * The engine's answer to DHIS2's {@code GET /api/trackedEntityAttributes/{uid}/generate} and
 * {@code /generateAndReserve?numberToReserve=N} (routes/reserved-values-handout.camel.yaml), in DHIS2's shape and
 * with its error messages: values are taken from the pool (filled from central first when it is low and central
 * answers) and removed in the same transaction. An empty pool while central is out of reach is a 409 WebMessage,
 * never a value made up here.
 */
public final class ReservedValueHandout {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DHIS2_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    static final String MANY = "rsvMany";

    private final ReservedValuePools pools;
    private final ReservedValueStage stage;

    public ReservedValueHandout(ReservedValuePools pools, ReservedValueStage stage) {
        this.pools = pools;
        this.stage = stage;
    }

    /**
     * Reads the request (DHIS2's order: numberToReserve 1..1000 first); variable rsvNeedAttribute true when the
     * attribute's pattern must be read from the local DHIS2 first (no job run has seen the attribute).
     */
    public void request(Exchange exchange) {
        String operation = exchange.getMessage().getHeader("operation", "", String.class);
        if (!operation.equals("generate") && !operation.equals("generateAndReserve")) {
            throw AdminApiException.status(404, "Not found: the engine answers only generate and generateAndReserve");
        }
        boolean many = operation.equals("generateAndReserve");
        int number = 1;
        if (many) {
            String raw = exchange.getMessage().getHeader("numberToReserve", "1", String.class);
            try {
                number = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw AdminApiException.status(400, "Value '" + raw + "' is not valid for parameter numberToReserve");
            }
            if (number < 1 || number > 1000) {
                throw AdminApiException.status(400,
                        "You can only reserve between 1 and 1000 values in a single request.");
            }
        }
        String attribute = exchange.getMessage().getHeader("uid", String.class);
        exchange.setVariable(MANY, many);
        exchange.setVariable("rsvAttribute", attribute);
        exchange.setVariable("rsvOrgUnitCode", exchange.getMessage().getHeader("ORG_UNIT_CODE", "", String.class));
        exchange.setVariable(ReservedValuePools.WANTED, number);
        exchange.setVariable(ReservedValuePools.WAIT, false);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        String pattern = stage.pattern(attribute);
        exchange.setVariable("rsvNeedAttribute", pattern == null);
        if (pattern != null) {
            pool(exchange, pattern);
        }
    }

    /** The local DHIS2's answer for the attribute: 404 unknown, 400 without pattern, as DHIS2 answers. */
    public void readAttribute(Exchange exchange) throws Exception {
        String attribute = exchange.getVariable("rsvAttribute", String.class);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status == 404) {
            throw AdminApiException.status(404, "TrackedEntityAttribute with id " + attribute
                    + " could not be found.");
        }
        JsonNode node = JSON.readTree(exchange.getMessage().getBody(String.class));
        String pattern = node.path("pattern").asText("").trim();
        if (pattern.isEmpty() || !node.path("generated").asBoolean(false)) {
            throw AdminApiException.status(400, "Attribute does not contain pattern.");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        pool(exchange, pattern);
    }

    private void pool(Exchange exchange, String pattern) {
        String attribute = exchange.getVariable("rsvAttribute", String.class);
        String code = exchange.getVariable("rsvOrgUnitCode", String.class).trim();
        boolean perOrgUnit = Pool.usesOrgUnitCode(pattern);
        if (perOrgUnit && code.isEmpty()) {
            throw AdminApiException.status(409, "Missing required values: ORG_UNIT_CODE");
        }
        exchange.setVariable(ReservedValuePools.POOL, new Pool(attribute, perOrgUnit ? code : "", pattern));
    }

    /**
     * Takes the values out of the pool: the answer is one ReservedValue (generate) or a list (generateAndReserve);
     * 409 when the pool has too few and central could not fill it.
     */
    public Object take(Exchange exchange) {
        Pool pool = exchange.getVariable(ReservedValuePools.POOL, Pool.class);
        int number = exchange.getVariable(ReservedValuePools.WANTED, 1, Integer.class);
        List<PoolTable.Value> values = pools.table().take(pool, number);
        // rows that concurrent hand-outs hold are skipped, not waited for: look again once they have committed
        for (int attempt = 1; values.isEmpty() && attempt < 3 && pools.table().count(pool) >= number; attempt++) {
            values = pools.table().take(pool, number);
        }
        if (values.isEmpty()) {
            String failure = exchange.getVariable("rsvFailure", String.class);
            throw AdminApiException.status(409, "Unable to reserve id. This may indicate that there are too few "
                    + "available ids left. The pool of " + ReservedValueStage.describe(pool) + " has fewer than "
                    + number + " values" + (failure == null ? "" : " and " + failure) + ".");
        }
        pools.metrics().handedOut(pool, values.size());
        List<Map<String, Object>> answer = values.stream().map(v -> json(pool, v)).toList();
        return exchange.getVariable(MANY, Boolean.class) ? answer : answer.get(0);
    }

    private static Map<String, Object> json(Pool pool, PoolTable.Value v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ownerObject", "TRACKEDENTITYATTRIBUTE");
        m.put("ownerUid", pool.attribute());
        m.put("key", v.key());
        m.put("value", v.value());
        m.put("created", DHIS2_TIME.format(v.created()));
        m.put("expiryDate", DHIS2_TIME.format(v.expiryDate()));
        return m;
    }
}
