package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * Tracker metadata (same on every instance for one spec) and tracker data (local only), deterministic for a seed.
 * The seed is mixed with a constant of this area so that its UIDs differ from the aggregate generator's.
 */
final class TrackerGenerator {

    private static final long AREA_SALT = 0x54524b5f47454eL; // "TRK_GEN"
    private static final String[] VALUE_TYPES = {"NUMBER", "TEXT", "BOOLEAN", "INTEGER_ZERO_OR_POSITIVE"};
    private static final LocalDate BASE_DATE = LocalDate.of(2024, 1, 1);

    private TrackerGenerator() {
    }

    static void generateMetadata(Dhis2Instance instance, GeneratorSpec spec) {
        Random random = new Random(spec.seed() ^ AREA_SALT);
        MetadataCatalog catalog = instance.catalog();
        List<String> facilities = facilities(catalog, random);

        String teType = Uids.generate(random);
        catalog.put(TrackerRefs.TE_TYPES, named(teType, "Person"));
        String relType = Uids.generate(random);
        ObjectNode rt = named(relType, "Person to person");
        rt.put("bidirectional", true);
        rt.putObject("fromConstraint").put("relationshipEntity", "TRACKED_ENTITY_INSTANCE")
                .putObject("trackedEntityType").put("id", teType);
        rt.putObject("toConstraint").put("relationshipEntity", "TRACKED_ENTITY_INSTANCE")
                .putObject("trackedEntityType").put("id", teType);
        catalog.put(TrackerRefs.RELATIONSHIP_TYPES, rt);

        String[] attributeNames = {"First name", "Last name", "National ID", "Private note"};
        List<String> attributes = new ArrayList<>();
        for (int i = 0; i < attributeNames.length; i++) {
            String uid = Uids.generate(random);
            attributes.add(uid);
            ObjectNode a = named(uid, "TRK " + attributeNames[i]);
            // DHIS2 keeps the flag on the attribute itself (TrackedEntityAttribute.skipSynchronization, default
            // false), not on the program's link to it: "Private note" stays local
            a.put("valueType", "TEXT").put("skipSynchronization", i == 3);
            if (i == 2) { // the attribute with reserved values
                a.put("generated", true).put("pattern", "RANDOM(#####)").put("unique", true);
            }
            catalog.put(TrackerRefs.ATTRIBUTES, a);
        }

        List<String> dataElements = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String uid = Uids.generate(random);
            dataElements.add(uid);
            ObjectNode de = named(uid, "TRK data element " + (i + 1));
            de.put("domainType", "TRACKER").put("valueType", VALUE_TYPES[i % VALUE_TYPES.length])
                    .put("aggregationType", "NONE");
            catalog.put(TrackerRefs.DATA_ELEMENTS, de);
        }

        for (int p = 0; p < spec.eventPrograms(); p++) {
            String program = Uids.generate(random);
            ObjectNode node = program(program, "TRK event program " + (p + 1), "WITHOUT_REGISTRATION", facilities);
            String stage = stage(catalog, random, program, "Event stage", dataElements.subList(0, 3));
            node.putArray("programStages").addObject().put("id", stage);
            catalog.put(TrackerRefs.PROGRAMS, node);
        }
        for (int p = 0; p < spec.trackerPrograms(); p++) {
            String program = Uids.generate(random);
            ObjectNode node = program(program, "TRK tracker program " + (p + 1), "WITH_REGISTRATION", facilities);
            node.putObject("trackedEntityType").put("id", teType);
            ArrayNode stages = node.putArray("programStages");
            stages.addObject().put("id", stage(catalog, random, program, "Registration", dataElements.subList(2, 5)));
            stages.addObject().put("id", stage(catalog, random, program, "Follow-up", dataElements.subList(3, 6)));
            ArrayNode ptea = node.putArray("programTrackedEntityAttributes");
            for (int i = 0; i < attributes.size(); i++) {
                ObjectNode entry = ptea.addObject().put("id", Uids.generate(random)).put("mandatory", i == 0);
                entry.putObject("trackedEntityAttribute").put("id", attributes.get(i));
                entry.putObject("program").put("id", program);
            }
            catalog.put(TrackerRefs.PROGRAMS, node);
        }
    }

    static void generateData(Dhis2Instance instance, GeneratorSpec spec) {
        Random random = new Random((spec.seed() ^ AREA_SALT) * 31 + 7);
        MetadataCatalog catalog = instance.catalog();
        TrackerStore store = instance.tracker();
        List<String> facilities = facilities(catalog, random);
        List<ObjectNode> eventPrograms = new ArrayList<>();
        List<ObjectNode> trackerPrograms = new ArrayList<>();
        for (ObjectNode p : catalog.list(TrackerRefs.PROGRAMS)) {
            (("WITH_REGISTRATION".equals(p.path("programType").asText())) ? trackerPrograms : eventPrograms).add(p);
        }
        List<String> deletedEvents = new ArrayList<>();
        for (ObjectNode program : eventPrograms) {
            String stage = program.path("programStages").path(0).path("id").asText();
            for (int i = 0; i < spec.eventsPerProgram(); i++) {
                String uid = Uids.generate(random);
                store.put(Kind.EVENT, uid, event(catalog, random, program.path("id").asText(), stage,
                        pick(random, facilities), null, null));
                if (i % 15 == 14) {
                    deletedEvents.add(uid);
                }
            }
        }
        deletedEvents.forEach(uid -> store.delete(Kind.EVENT, uid));
        if (trackerPrograms.isEmpty() || catalog.list(TrackerRefs.TE_TYPES).isEmpty()) {
            return;
        }
        String teType = catalog.list(TrackerRefs.TE_TYPES).get(0).path("id").asText();
        List<String> attributes = catalog.list(TrackerRefs.ATTRIBUTES).stream()
                .filter(a -> a.path("name").asText().startsWith("TRK ")).map(a -> a.path("id").asText()).toList();
        List<String> trackedEntities = new ArrayList<>();
        for (int i = 0; i < spec.trackedEntities(); i++) {
            String te = Uids.generate(random);
            String orgUnit = pick(random, facilities);
            ObjectNode body = SandboxJson.object().put("trackedEntityType", teType).put("orgUnit", orgUnit)
                    .put("inactive", false).put("potentialDuplicate", false);
            ArrayNode values = body.putArray("attributes");
            for (String a : attributes) {
                values.addObject().put("attribute", a).put("value", attributeValue(catalog, a, random, i));
            }
            store.put(Kind.TRACKED_ENTITY, te, body);
            trackedEntities.add(te);
            int enrollments = 1 + random.nextInt(2);
            for (int e = 0; e < enrollments; e++) {
                ObjectNode program = trackerPrograms.get((i + e) % trackerPrograms.size());
                String enrollment = Uids.generate(random);
                LocalDate enrolled = BASE_DATE.plusDays(random.nextInt(300));
                boolean completed = e == 0 && enrollments == 2;
                ObjectNode en = SandboxJson.object().put("trackedEntity", te).put("program",
                        program.path("id").asText()).put("orgUnit", orgUnit)
                        .put("status", completed ? "COMPLETED" : "ACTIVE")
                        .put("enrolledAt", date(enrolled)).put("occurredAt", date(enrolled)).put("followUp", false);
                en.putArray("notes");
                store.put(Kind.ENROLLMENT, enrollment, en);
                int events = enrollments == 1 ? 3 : 1 + random.nextInt(2);
                for (int k = 0; k < events; k++) {
                    JsonNode stages = program.path("programStages");
                    String stage = stages.path(k % stages.size()).path("id").asText();
                    store.put(Kind.EVENT, Uids.generate(random), event(catalog, random, program.path("id").asText(),
                            stage, orgUnit, enrollment, te));
                }
            }
        }
        String relType = catalog.list(TrackerRefs.RELATIONSHIP_TYPES).isEmpty() ? null
                : catalog.list(TrackerRefs.RELATIONSHIP_TYPES).get(0).path("id").asText();
        Set<String> pairs = new HashSet<>();
        for (int r = 0; r < spec.relationships() && trackedEntities.size() > 1 && relType != null; r++) {
            String from = pick(random, trackedEntities);
            String to = pick(random, trackedEntities);
            // the type is bidirectional: DHIS2 holds one relationship per pair either way round (contract REL-9)
            if (from.equals(to) || pairs.contains(to + from) || !pairs.add(from + to)) {
                continue;
            }
            ObjectNode rel = SandboxJson.object().put("relationshipType", relType).put("bidirectional", true);
            rel.putObject("from").putObject("trackedEntity").put("trackedEntity", from);
            rel.putObject("to").putObject("trackedEntity").put("trackedEntity", to);
            store.put(Kind.RELATIONSHIP, Uids.generate(random), rel);
        }
        for (int i = 9; i < trackedEntities.size(); i += 10) { // some deleted, with their enrollments and events
            store.delete(Kind.TRACKED_ENTITY, trackedEntities.get(i));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Leaf org units of the catalog; a minimal root and three facilities when the catalog has none. */
    private static List<String> facilities(MetadataCatalog catalog, Random random) {
        List<ObjectNode> units = catalog.list(TrackerRefs.ORG_UNITS);
        if (units.isEmpty()) {
            String root = Uids.generate(random);
            ObjectNode r = named(root, "TRK Country");
            r.put("level", 1).put("path", "/" + root);
            catalog.put(TrackerRefs.ORG_UNITS, r);
            for (int i = 1; i <= 3; i++) {
                String uid = Uids.generate(random);
                ObjectNode f = named(uid, "TRK Facility " + i);
                f.put("level", 2).put("path", "/" + root + "/" + uid);
                f.putObject("parent").put("id", root);
                catalog.put(TrackerRefs.ORG_UNITS, f);
            }
            units = catalog.list(TrackerRefs.ORG_UNITS);
        }
        Set<String> parents = new HashSet<>();
        for (ObjectNode u : units) {
            String parent = u.path("parent").path("id").asText(null);
            if (parent != null) {
                parents.add(parent);
            }
            String path = u.path("path").asText("");
            String[] parts = path.split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                if (!parts[i].isEmpty()) {
                    parents.add(parts[i]);
                }
            }
        }
        List<String> leaves = units.stream().map(u -> u.path("id").asText()).filter(id -> !parents.contains(id))
                .toList();
        return leaves.isEmpty() ? units.stream().map(u -> u.path("id").asText()).toList() : leaves;
    }

    private static ObjectNode named(String uid, String name) {
        return SandboxJson.object().put("id", uid).put("name", name).put("shortName", name);
    }

    private static ObjectNode program(String uid, String name, String type, List<String> orgUnits) {
        ObjectNode node = named(uid, name);
        node.put("programType", type);
        node.put("accessLevel", "OPEN"); // DHIS2's default (Program.accessLevel)
        ArrayNode ous = node.putArray("organisationUnits");
        orgUnits.forEach(ou -> ous.addObject().put("id", ou));
        return node;
    }

    private static String stage(MetadataCatalog catalog, Random random, String program, String name,
                                List<String> dataElements) {
        String uid = Uids.generate(random);
        ObjectNode stage = named(uid, name);
        stage.putObject("program").put("id", program);
        stage.put("repeatable", true);
        ArrayNode psdes = stage.putArray("programStageDataElements");
        for (int i = 0; i < dataElements.size(); i++) {
            ObjectNode psde = psdes.addObject().put("id", Uids.generate(random)).put("compulsory", false)
                    .put("skipSynchronization", i == dataElements.size() - 1); // the last one stays local
            psde.putObject("dataElement").put("id", dataElements.get(i));
            psde.putObject("programStage").put("id", uid);
        }
        catalog.put(TrackerRefs.PROGRAM_STAGES, stage);
        return uid;
    }

    private static ObjectNode event(MetadataCatalog catalog, Random random, String program, String stage,
                                    String orgUnit, String enrollment, String trackedEntity) {
        LocalDate occurred = BASE_DATE.plusDays(random.nextInt(360));
        boolean completed = random.nextInt(3) > 0;
        ObjectNode event = SandboxJson.object().put("program", program).put("programStage", stage)
                .put("orgUnit", orgUnit).put("status", completed ? "COMPLETED" : "ACTIVE")
                .put("occurredAt", date(occurred)).put("scheduledAt", date(occurred)).put("followUp", false);
        if (completed) {
            event.put("completedAt", date(occurred));
        }
        if (enrollment != null) {
            event.put("enrollment", enrollment).put("trackedEntity", trackedEntity);
        }
        ArrayNode values = event.putArray("dataValues");
        for (JsonNode psde : catalog.get(TrackerRefs.PROGRAM_STAGES, stage).orElseThrow()
                .path("programStageDataElements")) {
            String de = psde.path("dataElement").path("id").asText();
            String type = catalog.get(TrackerRefs.DATA_ELEMENTS, de).map(d -> d.path("valueType").asText())
                    .orElse("TEXT");
            values.addObject().put("dataElement", de).put("value", value(type, random))
                    .put("providedElsewhere", false);
        }
        event.putArray("notes");
        return event;
    }

    private static String value(String valueType, Random random) {
        return switch (valueType) {
            case "NUMBER" -> String.valueOf(random.nextInt(1000) / 10.0);
            case "BOOLEAN" -> String.valueOf(random.nextBoolean());
            case "INTEGER_ZERO_OR_POSITIVE" -> String.valueOf(random.nextInt(100));
            default -> "text " + random.nextInt(10_000);
        };
    }

    private static String attributeValue(MetadataCatalog catalog, String attribute, Random random, int i) {
        boolean generated = catalog.get(TrackerRefs.ATTRIBUTES, attribute)
                .map(a -> a.path("generated").asBoolean(false)).orElse(false);
        if (generated) {
            return String.format("%05d", (i * 7919 + 13) % 100_000);
        }
        return "value " + random.nextInt(100_000);
    }

    private static String date(LocalDate date) {
        return date + "T00:00:00.000";
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
