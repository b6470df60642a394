package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Data values and complete registrations on one instance, over the metadata {@link MetadataGenerator} made: every
 * (period, facility, data element, category option combo) cell is filled with probability
 * {@code dataValues / cells}, so at most {@code spec.dataValues()} values, spread evenly. Timestamps lie in the past
 * (after the period ends, before now) and do not use the clock's tick, which would push it into the future.
 */
final class AggregateGenerator {

    private static final int BATCH = 100_000;

    private AggregateGenerator() {
    }

    private record Element(String uid, String valueType, List<String> cocs) {
    }

    static void generate(Dhis2Instance instance, GeneratorSpec spec) {
        MetadataCatalog catalog = instance.catalog();
        Random random = new Random(spec.seed() * 31 + 7);
        List<String> facilities = catalog.list("organisationUnits").stream()
                .filter(ou -> ou.path("children").isEmpty())
                .map(ou -> ou.path("id").asText()).toList();
        List<Element> elements = new ArrayList<>();
        for (ObjectNode de : catalog.list("dataElements")) {
            if (!"AGGREGATE".equals(de.path("domainType").asText("AGGREGATE"))) {
                continue;
            }
            String combo = de.path("categoryCombo").path("id").asText(MetadataGenerator.DEFAULT_CATEGORY_COMBO);
            List<String> cocs = new ArrayList<>();
            catalog.get("categoryCombos", combo).ifPresent(c -> c.path("categoryOptionCombos")
                    .forEach(coc -> cocs.add(coc.path("id").asText())));
            if (cocs.isEmpty()) {
                cocs.add(MetadataGenerator.DEFAULT_COC);
            }
            elements.add(new Element(de.path("id").asText(), de.path("valueType").asText("NUMBER"), cocs));
        }
        long now = instance.clock().millis();
        YearMonth lastMonth = YearMonth.from(instance.clock().instant().atZone(ZoneOffset.UTC)).minusMonths(1);
        List<String> periods = AggregatePeriods.months(lastMonth, Math.max(0, spec.periods()));
        String aoc = MetadataGenerator.DEFAULT_COC;
        String user = instance.username();

        long cells = 0;
        for (Element e : elements) {
            cells += (long) e.cocs().size();
        }
        cells *= (long) facilities.size() * periods.size();
        double share = cells == 0 ? 0 : Math.min(1.0, spec.dataValues() / (double) cells);
        List<AggregateStore.DataValue> batch = new ArrayList<>(BATCH);
        int made = 0;
        generation:
        for (String period : periods) {
            long periodEnd = YearMonth.of(Integer.parseInt(period.substring(0, 4)),
                    Integer.parseInt(period.substring(4))).atEndOfMonth().plusDays(1)
                    .atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            for (String ou : facilities) {
                for (Element e : elements) {
                    for (String coc : e.cocs()) {
                        if (made >= spec.dataValues()) {
                            break generation;
                        }
                        if (random.nextDouble() >= share) {
                            continue;
                        }
                        long updated = Math.min(now - 60_000L, periodEnd + (long) (random.nextDouble() * 20 * 86_400_000L));
                        long created = updated - (random.nextInt(10) == 0 ? random.nextInt(86_400_000) : 0);
                        String comment = random.nextInt(20) == 0 ? "Checked by supervisor " + (made % 7) : null;
                        boolean followup = random.nextInt(50) == 0;
                        boolean deleted = random.nextInt(100) == 0;
                        batch.add(new AggregateStore.DataValue(e.uid(), period, ou, coc, aoc,
                                value(e.valueType(), random), comment, followup, user, Instant.ofEpochMilli(created),
                                Instant.ofEpochMilli(updated), deleted));
                        made++;
                        if (batch.size() == BATCH) {
                            instance.aggregate().putAll(batch);
                            batch.clear();
                        }
                    }
                }
            }
        }
        instance.aggregate().putAll(batch);
        registrations(instance, spec, random, facilities, periods, now);
    }

    private static void registrations(Dhis2Instance instance, GeneratorSpec spec, Random random,
                                      List<String> facilities, List<String> periods, long now) {
        for (ObjectNode ds : instance.catalog().list("dataSets")) {
            String dsId = ds.path("id").asText();
            List<String> units = new ArrayList<>();
            for (JsonNode ou : ds.path("organisationUnits")) {
                units.add(ou.path("id").asText());
            }
            if (units.isEmpty()) {
                units = facilities;
            }
            for (String period : periods) {
                YearMonth ym = YearMonth.of(Integer.parseInt(period.substring(0, 4)),
                        Integer.parseInt(period.substring(4)));
                for (String ou : units) {
                    if (random.nextDouble() >= spec.completeRegistrations()) {
                        continue;
                    }
                    long at = Math.min(now - 60_000L, ym.plusMonths(1).atDay(1).atStartOfDay()
                            .toInstant(ZoneOffset.UTC).toEpochMilli() + random.nextInt(10) * 86_400_000L);
                    Instant when = Instant.ofEpochMilli(at);
                    instance.aggregate().putRegistration(new AggregateStore.Registration(dsId, period, ou,
                            MetadataGenerator.DEFAULT_COC, when, instance.username(), when, when,
                            instance.username(), true));
                }
            }
        }
    }

    private static String value(String valueType, Random random) {
        return switch (valueType) {
            case "TEXT", "LONG_TEXT" -> "Note " + random.nextInt(1000);
            case "NUMBER" -> random.nextInt(8) == 0 ? random.nextInt(500) + "." + (1 + random.nextInt(9))
                    : Integer.toString(random.nextInt(500));
            case "BOOLEAN" -> Boolean.toString(random.nextBoolean());
            default -> Integer.toString(random.nextInt(500));
        };
    }
}
