package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the aggregate stages read from the local instance: data sets and root org units (with children), from
 * {@code sync.dataValues.dataSets} / {@code sync.dataValues.orgUnits}, or discovered from local
 * {@code /api/dataSets} and {@code /api/me} when those are empty.
 */
public final class AggregateScope {

    /** The exchange variable with data element → its data sets (from local's data sets). */
    public static final String DATA_SETS_OF_ELEMENTS = "dataElementDataSets";
    /** The query of the data set list: ids and the data elements of each (brackets encoded). */
    public static final String DATA_SET_QUERY = "paging=false&fields=id,dataSetElements%5BdataElement%5Bid%5D%5D";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UID = Pattern.compile("^[A-Za-z][A-Za-z0-9]{10}$");

    /** Configured UIDs (comma-separated), validated; empty list = discover. */
    public static List<String> configured(String key, String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> uids = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String uid : uids) {
            if (!UID.matcher(uid).matches()) {
                throw new IllegalArgumentException(key + ": '" + uid + "' is not a DHIS2 UID");
            }
        }
        return uids;
    }

    /** IDs of a metadata list answer ({@code {"dataSets":[{"id":..}]}}) or of /api/me's organisationUnits. */
    public static List<String> ids(String body, String collection) {
        try {
            List<String> ids = new ArrayList<>();
            for (JsonNode n : JSON.readTree(body).path(collection)) {
                String id = n.path("id").asText("");
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
            return ids;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + collection + " of the local DHIS2: " + e.getMessage(), e);
        }
    }

    /** Data element → the data sets it belongs to, from a {@code /api/dataSets} answer with dataSetElements. */
    public static java.util.Map<String, java.util.Set<String>> dataSetsOfElements(String body) {
        try {
            java.util.Map<String, java.util.Set<String>> map = new java.util.HashMap<>();
            for (JsonNode ds : JSON.readTree(body).path("dataSets")) {
                String id = ds.path("id").asText("");
                for (JsonNode dse : ds.path("dataSetElements")) {
                    String de = dse.path("dataElement").path("id").asText("");
                    if (!id.isEmpty() && !de.isEmpty()) {
                        map.computeIfAbsent(de, k -> new java.util.HashSet<>()).add(id);
                    }
                }
            }
            return map;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the data sets of the local DHIS2: " + e.getMessage(), e);
        }
    }

    /** The export selection as query parameters: every data set and root org unit, with children. */
    public static String query(List<String> dataSets, List<String> orgUnits) {
        if (dataSets.isEmpty()) {
            throw new IllegalStateException("no data sets to synchronize (none configured in sync.dataValues.dataSets"
                    + " and none found on the local DHIS2)");
        }
        if (orgUnits.isEmpty()) {
            throw new IllegalStateException("no org units to synchronize (none configured in sync.dataValues.orgUnits"
                    + " and the local user has no org units)");
        }
        StringBuilder q = new StringBuilder();
        dataSets.forEach(ds -> q.append(q.isEmpty() ? "" : "&").append("dataSet=").append(ds));
        orgUnits.forEach(ou -> q.append("&orgUnit=").append(ou));
        return q.append("&children=true").toString();
    }
}
