package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Base metadata: org unit tree, category option combos, data elements, data sets. Every UID comes from one
 * {@link Random} seeded with {@code spec.seed()}, drawn in a fixed order, so local and central get identical UIDs.
 */
final class MetadataGenerator {

    /** DHIS2 creates its default category model with these fixed UIDs on every server. */
    static final String DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf";
    static final String DEFAULT_CATEGORY = "GLevLNI9wkl";
    static final String DEFAULT_CATEGORY_OPTION = "xYerKDKCefk";
    static final String DEFAULT_COC = "HllvX50cXC0";

    private MetadataGenerator() {
    }

    static void generate(Dhis2Instance instance, GeneratorSpec spec) {
        Random random = new Random(spec.seed());
        MetadataCatalog catalog = instance.catalog();

        // org unit tree: national root, a few districts, spec.orgUnits() facilities
        String rootId = Uids.generate(random);
        ObjectNode root = orgUnit(rootId, "Sandbox National", "OU_NAT", 1, "/" + rootId, null);
        int districtCount = Math.max(1, Math.min(8, spec.orgUnits() / 5));
        List<ObjectNode> districts = new ArrayList<>();
        for (int d = 0; d < districtCount; d++) {
            String id = Uids.generate(random);
            districts.add(orgUnit(id, "District " + (d + 1), "OU_D" + (d + 1), 2, "/" + rootId + "/" + id, rootId));
        }
        List<ObjectNode> facilities = new ArrayList<>();
        for (int f = 0; f < spec.orgUnits(); f++) {
            ObjectNode district = districts.get(f % districtCount);
            String id = Uids.generate(random);
            facilities.add(orgUnit(id, "Facility " + (f + 1), "OU_F" + (f + 1), 3,
                    district.path("path").asText() + "/" + id, district.path("id").asText()));
        }
        districts.forEach(d -> root.withArray("children").addObject().put("id", d.path("id").asText()));
        facilities.forEach(f -> districts.stream()
                .filter(d -> d.path("id").asText().equals(f.path("parent").path("id").asText()))
                .findFirst().orElseThrow()
                .withArray("children").addObject().put("id", f.path("id").asText()));
        catalog.put("organisationUnits", root);
        districts.forEach(d -> catalog.put("organisationUnits", d));
        facilities.forEach(f -> catalog.put("organisationUnits", f));

        // default category model, then one disaggregation category with spec.categoryOptionCombos() options
        catalog.put("categoryOptions", named(DEFAULT_CATEGORY_OPTION, "default"));
        ObjectNode defaultCategory = named(DEFAULT_CATEGORY, "default");
        defaultCategory.putArray("categoryOptions").addObject().put("id", DEFAULT_CATEGORY_OPTION);
        catalog.put("categories", defaultCategory);
        ObjectNode defaultCombo = named(DEFAULT_CATEGORY_COMBO, "default");
        defaultCombo.put("dataDimensionType", "DISAGGREGATION");
        defaultCombo.putArray("categories").addObject().put("id", DEFAULT_CATEGORY);
        defaultCombo.putArray("categoryOptionCombos").addObject().put("id", DEFAULT_COC);
        catalog.put("categoryCombos", defaultCombo);
        catalog.put("categoryOptionCombos", coc(DEFAULT_COC, "default", DEFAULT_CATEGORY_COMBO,
                DEFAULT_CATEGORY_OPTION));

        String comboId = Uids.generate(random);
        String categoryId = Uids.generate(random);
        ObjectNode category = named(categoryId, "Sandbox disaggregation");
        ObjectNode combo = named(comboId, "Sandbox disaggregation");
        combo.put("dataDimensionType", "DISAGGREGATION");
        combo.putArray("categories").addObject().put("id", categoryId);
        ArrayNode comboCocs = combo.putArray("categoryOptionCombos");
        for (int i = 0; i < spec.categoryOptionCombos(); i++) {
            String optionId = Uids.generate(random);
            String cocId = Uids.generate(random);
            catalog.put("categoryOptions", named(optionId, "Group " + (i + 1)));
            category.withArray("categoryOptions").addObject().put("id", optionId);
            catalog.put("categoryOptionCombos", coc(cocId, "Group " + (i + 1), comboId, optionId));
            comboCocs.addObject().put("id", cocId);
        }
        catalog.put("categories", category);
        catalog.put("categoryCombos", combo);

        // data elements: mostly NUMBER/INTEGER on the disaggregation combo, every fifth TEXT on the default combo
        List<String> dataElements = new ArrayList<>();
        for (int i = 0; i < spec.dataElements(); i++) {
            String id = Uids.generate(random);
            String valueType = i % 5 == 4 ? "TEXT" : (i % 2 == 0 ? "NUMBER" : "INTEGER");
            ObjectNode de = named(id, "Sandbox data element " + (i + 1));
            de.put("code", "DE_" + (i + 1));
            de.put("shortName", "DE " + (i + 1));
            de.put("valueType", valueType);
            de.put("domainType", "AGGREGATE");
            de.put("aggregationType", "TEXT".equals(valueType) ? "NONE" : "SUM");
            de.put("zeroIsSignificant", false);
            de.putObject("categoryCombo").put("id", "TEXT".equals(valueType) || spec.categoryOptionCombos() == 0
                    ? DEFAULT_CATEGORY_COMBO : comboId);
            catalog.put("dataElements", de);
            dataElements.add(id);
        }

        // monthly data sets over all facilities; data elements dealt round-robin
        int dataSetCount = Math.max(0, spec.dataSets());
        for (int s = 0; s < dataSetCount; s++) {
            String id = Uids.generate(random);
            ObjectNode ds = named(id, "Sandbox data set " + (s + 1));
            ds.put("code", "DS_" + (s + 1));
            ds.put("periodType", "Monthly");
            ds.putObject("categoryCombo").put("id", DEFAULT_CATEGORY_COMBO);
            ArrayNode elements = ds.putArray("dataSetElements");
            for (int i = s; i < dataElements.size(); i += dataSetCount) {
                ObjectNode dse = elements.addObject();
                dse.putObject("dataElement").put("id", dataElements.get(i));
                dse.putObject("dataSet").put("id", id);
            }
            ArrayNode units = ds.putArray("organisationUnits");
            facilities.forEach(f -> units.addObject().put("id", f.path("id").asText()));
            catalog.put("dataSets", ds);
        }

        instance.userOrgUnits().clear();
        instance.userOrgUnits().add(rootId);
    }

    private static ObjectNode named(String id, String name) {
        ObjectNode node = SandboxJson.object();
        node.put("id", id);
        node.put("name", name);
        node.put("displayName", name);
        return node;
    }

    private static ObjectNode orgUnit(String id, String name, String code, int level, String path, String parent) {
        ObjectNode ou = named(id, name);
        ou.put("code", code);
        ou.put("shortName", name);
        ou.put("level", level);
        ou.put("path", path);
        ou.put("openingDate", "1970-01-01T00:00:00.000");
        if (parent != null) {
            ou.putObject("parent").put("id", parent);
        }
        ou.putArray("children");
        return ou;
    }

    private static ObjectNode coc(String id, String name, String comboId, String optionId) {
        ObjectNode coc = named(id, name);
        coc.putObject("categoryCombo").put("id", comboId);
        coc.putArray("categoryOptions").addObject().put("id", optionId);
        return coc;
    }
}
