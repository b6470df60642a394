package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateGeneratorTest {

    private static List<String> ids(Dhis2Instance i, String type) {
        return i.catalog().list(type).stream().map(o -> o.path("id").asText()).toList();
    }

    @Test
    void sameSpecGivesTheSameUidsOnBothInstances() {
        Dhis2Instance a = new Dhis2Instance("local", Dhis2Version.of(40));
        Dhis2Instance b = new Dhis2Instance("central", Dhis2Version.of(42));
        MetadataGenerator.generate(a, GeneratorSpec.small());
        MetadataGenerator.generate(b, GeneratorSpec.small());
        for (String type : List.of("organisationUnits", "dataElements", "dataSets", "categoryOptionCombos",
                "categoryCombos")) {
            assertThat(ids(a, type)).as(type).isNotEmpty().isEqualTo(ids(b, type));
        }
        GeneratorSpec spec = GeneratorSpec.small();
        assertThat(a.catalog().list("organisationUnits").stream().filter(o -> o.path("level").asInt() == 3))
                .hasSize(spec.orgUnits());
        assertThat(ids(a, "dataElements")).hasSize(spec.dataElements());
        assertThat(ids(a, "categoryOptionCombos")).hasSize(spec.categoryOptionCombos() + 1)
                .contains(MetadataGenerator.DEFAULT_COC);
        assertThat(a.userOrgUnits()).containsExactly(a.catalog().list("organisationUnits").stream()
                .filter(o -> o.path("level").asInt() == 1).findFirst().orElseThrow().path("id").asText());
        ObjectNode ds = a.catalog().list("dataSets").get(0);
        assertThat(ds.path("periodType").asText()).isEqualTo("Monthly");
        assertThat(ds.path("dataSetElements")).isNotEmpty();

        Dhis2Instance other = new Dhis2Instance("other", Dhis2Version.of(40));
        MetadataGenerator.generate(other, new GeneratorSpec(7L, 6, 8, 2, 2, 3, 250, 0.5, 1, 30, 1, 12, 4, 3));
        assertThat(ids(other, "dataElements")).doesNotContainAnyElementsOf(ids(a, "dataElements"));
    }

    @Test
    void dataValuesAreDeterministicBoundedAndVaried() {
        GeneratorSpec spec = GeneratorSpec.small();
        Dhis2Instance a = new Dhis2Instance("a", Dhis2Version.of(40));
        Dhis2Instance b = new Dhis2Instance("b", Dhis2Version.of(40));
        for (Dhis2Instance i : List.of(a, b)) {
            MetadataGenerator.generate(i, spec);
            AggregateGenerator.generate(i, spec);
        }
        var va = a.aggregate().values();
        assertThat(va).hasSizeBetween(spec.dataValues() / 2, spec.dataValues());
        assertThat(va.stream().map(v -> v.dataElement() + v.period() + v.orgUnit() + v.categoryOptionCombo()
                + v.value()).toList()).isEqualTo(b.aggregate().values().stream().map(v -> v.dataElement()
                + v.period() + v.orgUnit() + v.categoryOptionCombo() + v.value()).toList());
        assertThat(va.stream().map(AggregateStore.DataValue::period).distinct()).hasSize(spec.periods());
        assertThat(va).anyMatch(v -> v.comment() != null);
        assertThat(va).allMatch(v -> v.lastUpdated().isBefore(a.clock().instant()));
        int cells = spec.dataSets() * spec.orgUnits() * spec.periods();
        assertThat(a.aggregate().registrationCount()).isBetween(cells / 5, cells * 4 / 5);
    }
}
