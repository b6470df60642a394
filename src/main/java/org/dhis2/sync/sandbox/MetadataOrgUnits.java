package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Org unit hierarchy as DHIS2 keeps it: {@code path} ("/root/…/uid") and {@code level} (hierarchyLevel) are derived
 * from the parent chain when an org unit is saved (OrganisationUnit.getPath / getHierarchyLevel, both read-only in
 * JSON), never taken from an import payload. A user's hierarchy is then any unit whose path passes through one of
 * the user's roots, so units imported later under a root are in it.
 */
final class MetadataOrgUnits {

    static final String COLLECTION = "organisationUnits";

    private MetadataOrgUnits() {
    }

    /** Re-derives path and level of every org unit of the catalog from its parent chain (in place). */
    static void derivePaths(MetadataCatalog catalog) {
        for (ObjectNode unit : catalog.list(COLLECTION)) {
            Deque<String> chain = new ArrayDeque<>();
            Set<String> seen = new HashSet<>();
            String current = unit.path("id").asText();
            while (current != null && seen.add(current)) { // a cyclic graph stops at the first repeat, as DHIS2
                chain.addFirst(current);
                current = catalog.get(COLLECTION, current).map(o -> o.path("parent").path("id").asText(null))
                        .orElse(null);
            }
            unit.put("path", "/" + String.join("/", chain));
            unit.put("level", chain.size());
        }
    }

    /** The hierarchy level of a stored unit: its {@code level}, else the depth of its {@code path}. */
    static int level(ObjectNode unit) {
        if (unit.path("level").canConvertToInt() && unit.path("level").asInt() > 0) {
            return unit.path("level").asInt();
        }
        String path = unit.path("path").asText("");
        return path.isEmpty() ? 1 : (int) path.chars().filter(c -> c == '/').count();
    }
}
