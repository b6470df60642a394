package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the aggregate endpoints need to know about an instance's metadata catalog. */
final class AggregateMetadata {

    private final Dhis2Instance instance;
    private final MetadataCatalog catalog;

    AggregateMetadata(Dhis2Instance instance) {
        this.instance = instance;
        this.catalog = instance.catalog();
    }

    boolean dataSetExists(String uid) {
        return catalog.exists("dataSets", uid);
    }

    boolean dataElementExists(String uid) {
        return catalog.exists("dataElements", uid);
    }

    boolean orgUnitExists(String uid) {
        return catalog.exists("organisationUnits", uid);
    }

    /** The default option combo exists on every DHIS2 (created at start-up), seeded or not. */
    boolean categoryOptionComboExists(String uid) {
        return MetadataGenerator.DEFAULT_COC.equals(uid) || catalog.exists("categoryOptionCombos", uid);
    }

    /** DHIS2's default COC, also the default attribute option combo (a fixed UID on every DHIS2). */
    String defaultCoc() {
        return MetadataGenerator.DEFAULT_COC;
    }

    /** The data element's value type, {@code NUMBER} if unknown. */
    String valueType(String dataElement) {
        return catalog.get("dataElements", dataElement).map(de -> de.path("valueType").asText("NUMBER"))
                .orElse("NUMBER");
    }

    /**
     * The data set whose lock rules apply to a value sent without a data set (DataElement.getApprovalDataSet: the
     * first of the element's data sets); here the first by UID (GUESS: DHIS2 orders them by approval workflow and
     * period type frequency, which the sandbox's generated data sets do not tell apart). Null when it has none.
     */
    String approvalDataSet(String dataElement) {
        return catalog.list("dataSets").stream()
                .filter(ds -> { for (var dse : ds.path("dataSetElements")) {
                        if (dataElement.equals(dse.path("dataElement").path("id").asText())) {
                            return true;
                        }
                    }
                    return false; })
                .map(ds -> ds.path("id").asText()).sorted().findFirst().orElse(null);
    }

    /** Data elements of the given data sets. */
    Set<String> dataElementsOfDataSets(Collection<String> dataSets) {
        Set<String> result = new LinkedHashSet<>();
        for (String ds : dataSets) {
            catalog.get("dataSets", ds).ifPresent(node -> node.path("dataSetElements").forEach(
                    dse -> result.add(dse.path("dataElement").path("id").asText())));
        }
        return result;
    }

    /** Data elements of the given data element groups ({@code dataElements} list of each group). */
    Set<String> dataElementsOfGroups(Collection<String> groups) {
        Set<String> result = new LinkedHashSet<>();
        for (String g : groups) {
            catalog.get("dataElementGroups", g).ifPresent(node -> node.path("dataElements").forEach(
                    de -> result.add(de.path("id").asText())));
        }
        return result;
    }

    /** Org units of the given groups ({@code organisationUnits} list of each group). */
    Set<String> orgUnitsOfGroups(Collection<String> groups) {
        Set<String> result = new LinkedHashSet<>();
        for (String g : groups) {
            catalog.get("organisationUnitGroups", g).ifPresent(node -> node.path("organisationUnits").forEach(
                    ou -> result.add(ou.path("id").asText())));
        }
        return result;
    }

    /** The org units and, with {@code children}, all their descendants (by {@code path}). */
    Set<String> withDescendants(Collection<String> orgUnits, boolean children) {
        Set<String> result = new LinkedHashSet<>(orgUnits);
        if (!children || orgUnits.isEmpty()) {
            return result;
        }
        for (ObjectNode ou : catalog.list("organisationUnits")) {
            String path = ou.path("path").asText("");
            for (String parent : orgUnits) {
                if (path.contains("/" + parent + "/")) {
                    result.add(ou.path("id").asText());
                    break;
                }
            }
        }
        return result;
    }

    /** True when the user has no root org units (sees everything) or one of them is on the unit's path. */
    boolean inUserHierarchy(String orgUnit) {
        List<String> roots = instance.userOrgUnits();
        if (roots.isEmpty()) {
            return true;
        }
        String path = catalog.get("organisationUnits", orgUnit).map(n -> n.path("path").asText(""))
                .orElse("/" + orgUnit);
        for (String root : roots) {
            if ((path + "/").contains("/" + root + "/")) {
                return true;
            }
        }
        return false;
    }

    static String id(JsonNode ref) {
        return ref == null ? null : ref.path("id").asText(null);
    }
}
