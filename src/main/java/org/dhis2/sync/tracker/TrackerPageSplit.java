package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.load.TooLarge;
import org.dhis2.sync.tracker.TrackerPass.Page;
import org.dhis2.sync.tracker.TrackerPass.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adaptive tracker pages: a page central found too large (413; 502/504 or no answer in time after the retries) is
 * sent again in two halves, each judged like a page. A page keeps each object's part of the DELETE and
 * CREATE_AND_UPDATE payloads, so a half's payloads hold exactly its objects. When the page's DELETE import was
 * already judged (the CREATE_AND_UPDATE call was the one too large), the halves send only their upserts and keep the
 * page's DELETE verdicts. Sending again what central may have imported before a gateway gave up is safe: the upsert
 * is CREATE_AND_UPDATE, and a DELETE of an object already deleted is judged done (ImportReportJudge.DELETE_DONE).
 */
final class TrackerPageSplit {

    private static final Logger LOG = LoggerFactory.getLogger(TrackerPageSplit.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object's part of a page's DELETE and CREATE_AND_UPDATE payloads (collection name → objects). */
    record Part(ObjectNode deletes, ObjectNode upserts) {
        Part() {
            this(JSON.createObjectNode(), JSON.createObjectNode());
        }
    }

    private TrackerPageSplit() {
    }

    /** The payload of these parts' deletions or upserts, or null when they have none. */
    static String payload(List<Part> parts, boolean deletes) {
        ObjectNode merged = JSON.createObjectNode();
        for (Part p : parts) {
            ObjectNode node = deletes ? p.deletes() : p.upserts();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ArrayNode into = merged.path(e.getKey()) instanceof ArrayNode a ? a : merged.putArray(e.getKey());
                into.addAll((ArrayNode) e.getValue());
            }
        }
        if (merged.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(merged);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean splits(Exchange exchange, Page page, AdaptivePageSizes sizes, String stage) {
        return page.parts != null && TooLarge.reason(exchange).isPresent()
                && sizes.splittable(stage, page.units.size());
    }

    static List<Page> halves(Exchange exchange, Page page, AdaptivePageSizes sizes, String stage) {
        String why = TooLarge.reason(exchange).orElse("too large");
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        sizes.tooLarge(stage, page.units.size(), why);
        int half = page.units.size() / 2;
        boolean deletesJudged = page.deleteJudge != null;
        page.item.complete("Too large for central (" + why + "): sent again in two halves of " + half + " and "
                + (page.units.size() - half));
        LOG.info("{} page {}: {} objects too large for central ({}), sent again in two halves", stage, page.number,
                page.units.size(), why);
        List<Page> halves = new ArrayList<>();
        for (int[] r : new int[][] {{0, half}, {half, page.units.size()}}) {
            List<Unit> units = List.copyOf(page.units.subList(r[0], r[1]));
            List<Part> parts = List.copyOf(page.parts.subList(r[0], r[1]));
            Page p = new Page(page.pass, page.number, page.scope, page.stage.startItem("Page " + page.number
                    + " (part): " + units.size() + " objects to send"), page.stage, units,
                    deletesJudged ? null : payload(parts, true), payload(parts, false), parts);
            p.deleteJudge = page.deleteJudge;
            halves.add(p);
        }
        return halves;
    }
}
