package org.dhis2.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.dhis2.sync.tracker.SkipSyncFields;

/**
 * Whether importing central's tracked entity would change nothing on the local instance: every attribute value,
 * enrollment and event (with its data values) central sends is already there, the same and not deleted. What
 * central does not send is left alone by a CREATE_AND_UPDATE import anyway, and skip-sync values never travel. Most
 * often true for what this site pushed itself: the push moved central's updatedAt, so the download reads it again.
 * Dates are compared by day (versions write them with or without time and offset); anything unsure imports.
 */
final class SameOnLocal {

    private SameOnLocal() {
    }

    static boolean wouldChangeNothing(JsonNode central, JsonNode local, SkipSyncFields skip) {
        if (local == null || local.path("deleted").asBoolean(false)
                || !same(central, local, "orgUnit", "trackedEntityType")
                || !valuesPresent(central.path("attributes"), local.path("attributes"), "attribute",
                        a -> skip.skipsAttribute(a))) {
            return false;
        }
        Map<String, JsonNode> enrollments = byUid(local.path("enrollments"), "enrollment");
        for (JsonNode en : central.path("enrollments")) {
            JsonNode mine = enrollments.get(en.path("enrollment").asText());
            if (mine == null || !same(en, mine, "program", "orgUnit", "status") || !sameDay(en, mine, "enrolledAt")
                    || !sameDay(en, mine, "occurredAt")) {
                return false;
            }
            Map<String, JsonNode> events = byUid(mine.path("events"), "event");
            for (JsonNode ev : en.path("events")) {
                JsonNode e = events.get(ev.path("event").asText());
                String stage = ev.path("programStage").asText();
                if (e == null || !same(ev, e, "programStage", "orgUnit", "status") || !sameDay(ev, e, "occurredAt")
                        || !valuesPresent(ev.path("dataValues"), e.path("dataValues"), "dataElement",
                        de -> skip.skipsDataValue(stage, de))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Map<String, JsonNode> byUid(JsonNode list, String idField) {
        Map<String, JsonNode> map = new HashMap<>();
        for (JsonNode o : list) {
            if (!o.path("deleted").asBoolean(false)) {
                map.put(o.path(idField).asText(), o);
            }
        }
        return map;
    }

    private static boolean valuesPresent(JsonNode central, JsonNode local, String key,
                                         java.util.function.Predicate<String> skipped) {
        Map<String, String> mine = new HashMap<>();
        local.forEach(v -> mine.put(v.path(key).asText(), v.path("value").asText(null)));
        for (JsonNode v : central) {
            String id = v.path(key).asText();
            if (!skipped.test(id) && !Objects.equals(v.path("value").asText(null), mine.get(id))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(JsonNode a, JsonNode b, String... fields) {
        for (String f : fields) {
            if (!Objects.equals(a.path(f).asText(null), b.path(f).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameDay(JsonNode a, JsonNode b, String field) {
        String x = a.path(field).asText("");
        String y = b.path(field).asText("");
        return x.length() >= 10 && y.length() >= 10 ? x.substring(0, 10).equals(y.substring(0, 10)) : x.equals(y);
    }
}
