package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadataListApiTest {

    private SandboxServer server;
    private AggregateHttp http;

    @BeforeEach
    void start() throws IOException {
        Dhis2Instance instance = new Dhis2Instance("central", Dhis2Version.of(41));
        MetadataGenerator.generate(instance, GeneratorSpec.small());
        server = SandboxServer.start(instance);
        http = new AggregateHttp(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsArePagedWithDhis2sPager() {
        JsonNode page1 = http.get("/api/organisationUnits?pageSize=4&fields=id,name").json();
        int total = server.instance().catalog().size("organisationUnits");
        assertThat(page1.path("pager").path("total").asInt()).isEqualTo(total);
        assertThat(page1.path("pager").path("pageCount").asInt()).isEqualTo((total + 3) / 4);
        assertThat(page1.path("pager").path("page").asInt()).isEqualTo(1);
        assertThat(page1.path("pager").path("pageSize").asInt()).isEqualTo(4);
        assertThat(page1.path("organisationUnits")).hasSize(4);
        JsonNode page2 = http.get("/api/40/organisationUnits.json?pageSize=4&page=2").json();
        assertThat(page2.path("organisationUnits").get(0).path("id").asText())
                .isNotEqualTo(page1.path("organisationUnits").get(0).path("id").asText());
        JsonNode all = http.get("/api/dataElements?paging=false").json();
        assertThat(all.has("pager")).isFalse();
        assertThat(all.path("dataElements")).hasSize(GeneratorSpec.small().dataElements());
        assertThat(all.path("dataElements").get(0).has("valueType")).isTrue();
    }

    @Test
    void filterByIdInAndSingleObjectAnd404() {
        var ids = server.instance().catalog().list("dataSets").stream().map(o -> o.path("id").asText()).toList();
        JsonNode filtered = http.get("/api/dataSets?filter=id:in:[" + ids.get(0) + ",nope]").json();
        assertThat(filtered.path("dataSets")).hasSize(1);
        var one = http.get("/api/dataSets/" + ids.get(0));
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("periodType").asText()).isEqualTo("Monthly");
        var missing = http.get("/api/dataElements/xyz");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("DataElement with id xyz could not be found.");
        assertThat(http.get("/api/programs?paging=false").json().path("programs")).isEmpty();
        assertThat(http.get("/api/noSuchThing").status()).isEqualTo(404);
    }

    @Test
    void specificEndpointsAreNotShadowedByTheGenericList() {
        assertThat(http.get("/api/system/info").json().path("version").asText()).isEqualTo("2.41");
        assertThat(http.get("/api/dataValueSets").status()).isEqualTo(409); // the aggregate handler, not a list
    }

    @Test
    @Contract("META-8")
    void levelAndMaxLevelFilterOrganisationUnitsByHierarchyLevel() {
        int all = server.instance().catalog().size("organisationUnits");
        JsonNode districts = http.get("/api/organisationUnits?level=2&paging=false&fields=id,level").json();
        assertThat(districts.path("organisationUnits")).isNotEmpty().hasSizeLessThan(all)
                .allSatisfy(ou -> assertThat(ou.path("level").asInt()).isEqualTo(2));
        JsonNode upToDistricts = http.get("/api/organisationUnits?maxLevel=2&paging=false").json();
        assertThat(upToDistricts.path("organisationUnits")).hasSize(districts.path("organisationUnits").size() + 1)
                .allSatisfy(ou -> assertThat(ou.path("level").asInt()).isLessThanOrEqualTo(2));
        assertThat(http.get("/api/organisationUnits?level=1&paging=false").json().path("organisationUnits"))
                .hasSize(1);
    }

    @Test
    @Contract("META-19")
    void fieldsKeepWhatIsAskedAndExpandReferencesWithANestedSelection() {
        Dhis2Instance instance = server.instance();
        TrackerGenerator.generateMetadata(instance, GeneratorSpec.small());
        JsonNode programs = http.get("/api/programs?paging=false&fields=id,programType,programTrackedEntityAttributes"
                + "[trackedEntityAttribute[id,generated,pattern]],programStages[id,programStageDataElements"
                + "[skipSynchronization,dataElement[id]]]").json().path("programs");
        JsonNode tracker = null;
        for (JsonNode p : programs) {
            assertThat(p.has("name")).as("not asked for").isFalse();
            if ("WITH_REGISTRATION".equals(p.path("programType").asText())) {
                tracker = p;
            }
        }
        assertThat(tracker).isNotNull();
        boolean generated = false;
        for (JsonNode link : tracker.path("programTrackedEntityAttributes")) {
            JsonNode attribute = link.path("trackedEntityAttribute");
            assertThat(attribute.has("valueType")).as("only the nested fields").isFalse();
            generated |= attribute.path("generated").asBoolean(false) && attribute.has("pattern");
        }
        assertThat(generated).as("the referenced attribute's own fields").isTrue();
        JsonNode stage = tracker.path("programStages").get(0);
        assertThat(stage.path("programStageDataElements")).isNotEmpty();
        assertThat(stage.path("programStageDataElements").get(0).has("skipSynchronization")).isTrue();
        JsonNode star = http.get("/api/dataElements?paging=false&fields=*,!valueType").json().path("dataElements");
        assertThat(star.get(0).has("name")).isTrue();
        assertThat(star.get(0).has("valueType")).isFalse();
    }
}
