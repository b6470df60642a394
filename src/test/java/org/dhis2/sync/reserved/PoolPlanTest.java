package org.dhis2.sync.reserved;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.config.ReservedValueSettings;
import org.junit.jupiter.api.Test;

/** Which pools the job keeps, from the local programs as DHIS2 answers the job's fields. */
class PoolPlanTest {

    private static final String PROGRAMS = """
            {"programs":[
             {"id":"prgTracker1","programType":"WITH_REGISTRATION",
              "organisationUnits":[{"id":"ou000000001","code":"OSLO"},{"id":"ou000000002","code":"BERGEN"},
                                   {"id":"ou000000003"}],
              "programTrackedEntityAttributes":[
                {"trackedEntityAttribute":{"id":"attrRandom1","generated":true,"pattern":"RANDOM(####)"}},
                {"trackedEntityAttribute":{"id":"attrOrgUnit","generated":true,
                                           "pattern":"\\"MR-\\" + ORG_UNIT_CODE(...) + SEQUENTIAL(###)"}},
                {"trackedEntityAttribute":{"id":"attrPlain01"}},
                {"trackedEntityAttribute":{"id":"attrNotGen1","generated":false,"pattern":"RANDOM(#)"}}]},
             {"id":"prgTracker2","programType":"WITH_REGISTRATION","organisationUnits":[],
              "programTrackedEntityAttributes":[
                {"trackedEntityAttribute":{"id":"attrRandom1","generated":true,"pattern":"RANDOM(####)"}}]},
             {"id":"prgEvents01","programType":"WITHOUT_REGISTRATION",
              "programTrackedEntityAttributes":[
                {"trackedEntityAttribute":{"id":"attrEvent01","generated":true,"pattern":"RANDOM(#)"}}]}]}
            """;

    private static ReservedValueSettings settings(List<String> attributes, List<String> orgUnits) {
        return new ReservedValueSettings(50, 100, attributes, orgUnits, Map.of(), 5000);
    }

    @Test
    void onePoolPerGeneratedAttributeAndPerOrgUnitCodeForOrgUnitPatterns() throws Exception {
        List<Pool> pools = ReservedValueStage.plan(new ObjectMapper().readTree(PROGRAMS), settings(List.of(), List.of()));
        assertThat(pools).extracting(Pool::label)
                .containsExactly("attrRandom1", "attrOrgUnit/OSLO", "attrOrgUnit/BERGEN");
    }

    @Test
    void settingsNarrowAttributesAndOrgUnits() throws Exception {
        List<Pool> pools = ReservedValueStage.plan(new ObjectMapper().readTree(PROGRAMS),
                settings(List.of("attrOrgUnit"), List.of("BERGEN")));
        assertThat(pools).extracting(Pool::label).containsExactly("attrOrgUnit/BERGEN");
    }
}
