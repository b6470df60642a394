package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * A baseline {@code Version_1} created on central and recorded as imported on local (both catalogs are equal at
 * that point), then {@code spec.metadataVersions()} newer versions on central only, each after a few realistic
 * changes to central's catalog (an option set with options, data elements, now and then an org unit or a renamed
 * data element), alternating BEST_EFFORT and ATOMIC. Deterministic for a seed. The local instance's remote server
 * settings (keyRemoteInstanceUrl/Username/Password) point to central, as an operator sets them for DHIS2's own
 * metadata sync, so that local's {@code /api/metadata/sync} can pull the versions.
 */
final class MetadataVersionGenerator {

    private static final String DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf";

    private MetadataVersionGenerator() {
    }

    static void generate(SandboxPair pair, GeneratorSpec spec) {
        Dhis2Instance central = pair.central();
        MetadataVersion baseline = central.metadataVersions().create(MetadataVersion.Type.BEST_EFFORT);
        pair.local().metadataVersions().recordImported(baseline);
        pair.local().systemSettings().put(RemoteInstance.KEY_URL, pair.centralServer().url());
        pair.local().systemSettings().put(RemoteInstance.KEY_USERNAME, central.username());
        pair.local().systemSettings().put(RemoteInstance.KEY_PASSWORD, central.password());
        Random random = new Random(spec.seed() * 31 + 17);
        for (int n = 1; n <= spec.metadataVersions(); n++) {
            change(central, random, n);
            central.metadataVersions().create(n % 2 == 1 ? MetadataVersion.Type.BEST_EFFORT : MetadataVersion.Type.ATOMIC);
        }
    }

    private static void change(Dhis2Instance central, Random random, int n) {
        MetadataCatalog catalog = central.catalog();
        String optionSetId = Uids.generate(random);
        ObjectNode optionSet = object(optionSetId, "Referral reason v" + n, "REFERRAL_REASON_" + n);
        optionSet.put("valueType", "TEXT");
        optionSet.put("version", 1);
        var optionRefs = optionSet.putArray("options");
        String[] options = {"Follow-up", "Complication"};
        for (int i = 0; i < options.length; i++) {
            ObjectNode option = object(Uids.generate(random), options[i], "OPT_" + n + "_" + (i + 1));
            option.put("sortOrder", i + 1);
            option.putObject("optionSet").put("id", optionSetId);
            catalog.put("options", option);
            optionRefs.addObject().put("id", option.path("id").asText());
        }
        catalog.put("optionSets", optionSet);

        String categoryCombo = catalog.list("categoryCombos").stream().map(c -> c.path("id").asText())
                .findFirst().orElse(DEFAULT_CATEGORY_COMBO);
        ObjectNode count = object(Uids.generate(random), "Referrals v" + n, "DE_REFERRALS_" + n);
        count.put("valueType", "INTEGER_ZERO_OR_POSITIVE");
        dataElement(count, categoryCombo);
        catalog.put("dataElements", count);
        ObjectNode reason = object(Uids.generate(random), "Referral reason v" + n, "DE_REFERRAL_REASON_" + n);
        reason.put("valueType", "TEXT");
        dataElement(reason, categoryCombo);
        reason.putObject("optionSet").put("id", optionSetId);
        catalog.put("dataElements", reason);

        List<ObjectNode> orgUnits = catalog.list("organisationUnits");
        if (n % 2 == 0 && !orgUnits.isEmpty()) {
            ObjectNode parent = orgUnits.get(random.nextInt(orgUnits.size()));
            ObjectNode unit = object(Uids.generate(random), "New Health Post " + n, "OU_NEW_" + n);
            unit.put("openingDate", "2024-01-01T00:00:00.000");
            unit.put("level", parent.path("level").asInt(1) + 1);
            unit.putObject("parent").put("id", parent.path("id").asText());
            catalog.put("organisationUnits", unit);
        }
        List<ObjectNode> dataElements = catalog.list("dataElements");
        if (n % 3 == 0 && !dataElements.isEmpty()) {
            ObjectNode renamed = dataElements.get(random.nextInt(dataElements.size())).deepCopy();
            renamed.put("name", renamed.path("name").asText() + " (revised " + n + ")");
            catalog.put("dataElements", renamed);
        }
    }

    private static ObjectNode object(String id, String name, String code) {
        ObjectNode o = SandboxJson.object();
        o.put("id", id);
        o.put("name", name);
        o.put("shortName", name.length() > 50 ? name.substring(0, 50) : name);
        o.put("code", code);
        return o;
    }

    private static void dataElement(ObjectNode de, String categoryCombo) {
        de.put("domainType", "AGGREGATE");
        de.put("aggregationType", "SUM");
        de.put("zeroIsSignificant", false);
        de.putObject("categoryCombo").put("id", categoryCombo);
    }
}
