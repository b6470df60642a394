package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.fixture;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.getText;
import static org.dhis2.sync.sandbox.MetadataSandboxHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReservedValueApiTest {

    private SandboxServer server;

    @BeforeEach
    void start() throws Exception {
        server = SandboxServer.start(new Dhis2Instance("central", Dhis2Version.of(40)));
        attribute("xeG4wH2I676", "RANDOM(###)");
        attribute("lZGmxYbs97q", "\"MR-\" + ORG_UNIT_CODE(...) + \"-\" + SEQUENTIAL(###)");
        attribute("tinyPattrn1", "RANDOM(#)");
        attribute("datedPattrn", "CURRENT_DATE(yyyyMM) + \"-\" + RANDOM(X##)");
        ObjectNode plain = SandboxJson.object();
        plain.put("id", "w75KJ2mc4zz");
        plain.put("name", "First name");
        server.instance().catalog().put("trackedEntityAttributes", plain);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void attribute(String id, String pattern) {
        ObjectNode a = SandboxJson.object();
        a.put("id", id);
        a.put("name", "Attribute " + id);
        a.put("generated", true);
        a.put("unique", true);
        a.put("pattern", pattern);
        server.instance().catalog().put("trackedEntityAttributes", a);
    }

    @Test
    @Contract({"RSV-2"})
    void generateAndReserveAndGenerateHaveTheFixtureShapes() throws Exception {
        HttpResponse<String> list = getText(server, "/api/trackedEntityAttributes/xeG4wH2I676/generateAndReserve?numberToReserve=3");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode values = json(list.body());
        assertThat(JsonShape.differences(
                json(fixture("reserved-values/tracked_entity_attribute_reserved_values.json")), values)).isEmpty();
        assertThat(values).hasSize(3);
        JsonNode first = values.get(0);
        assertThat(first.path("ownerObject").asText()).isEqualTo("TRACKEDENTITYATTRIBUTE");
        assertThat(first.path("ownerUid").asText()).isEqualTo("xeG4wH2I676");
        assertThat(first.path("key").asText()).isEqualTo("RANDOM(###)");
        assertThat(first.path("value").asText()).matches("\\d{3}");
        // default expiration: 60 days
        assertThat(Duration.between(Dhis2Dates.parse(first.path("created").asText()),
                Dhis2Dates.parse(first.path("expiryDate").asText()))).isEqualTo(Duration.ofDays(60));

        JsonNode single = json(getText(server, "/api/trackedEntityAttributes/xeG4wH2I676/generate").body());
        assertThat(JsonShape.differences(
                json(fixture("reserved-values/tracked_entity_attribute_reserved_value.json")), single)).isEmpty();
        assertThat(Duration.between(Dhis2Dates.parse(single.path("created").asText()),
                Dhis2Dates.parse(single.path("expiryDate").asText()))).isEqualTo(Duration.ofDays(3));
    }

    @Test
    @Contract({"RSV-1"})
    void numberToReserveMustBeBetween1And1000() throws Exception {
        for (int n : new int[] {0, 1001, -5}) {
            HttpResponse<String> r = getText(server,
                    "/api/trackedEntityAttributes/xeG4wH2I676/generateAndReserve?numberToReserve=" + n);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r.body()).path("message").asText())
                    .isEqualTo("You can only reserve between 1 and 1000 values in a single request.");
        }
        // the range is checked before the attribute is looked up
        HttpResponse<String> unknown = getText(server,
                "/api/trackedEntityAttributes/NoSuchAttr1/generateAndReserve?numberToReserve=0");
        assertThat(unknown.statusCode()).isEqualTo(400);
        HttpResponse<String> max = getText(server,
                "/api/trackedEntityAttributes/xeG4wH2I676/generateAndReserve?numberToReserve=1000");
        assertThat(json(max.body())).hasSize(1000);
    }

    @Test
    @Contract({"RSV-7"})
    void valuesAreUniqueUntilThePatternIsExhausted() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            json(getText(server, "/api/trackedEntityAttributes/xeG4wH2I676/generateAndReserve?numberToReserve=250")
                    .body()).forEach(v -> assertThat(seen.add(v.path("value").asText())).isTrue());
        }
        assertThat(seen).hasSize(1000); // RANDOM(###) has exactly 1000 values, all handed out once
        HttpResponse<String> exhausted = getText(server, "/api/trackedEntityAttributes/xeG4wH2I676/generate");
        assertThat(exhausted.statusCode()).isEqualTo(409);
        assertThat(json(exhausted.body()).path("message").asText())
                .isEqualTo("Not enough values left to reserve 1 values.");

        HttpResponse<String> tooMany = getText(server,
                "/api/trackedEntityAttributes/tinyPattrn1/generateAndReserve?numberToReserve=11");
        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(json(tooMany.body()).path("message").asText())
                .isEqualTo("Not enough values left to reserve 11 values.");
        assertThat(server.instance().reservedValues().reserved("tinyPattrn1")).isEmpty();
    }

    @Test
    @Contract({"RSV-5", "RSV-6"})
    void sequentialWithOrgUnitCodeResolvesTheKeyAndCounts() throws Exception {
        HttpResponse<String> missing = getText(server, "/api/trackedEntityAttributes/lZGmxYbs97q/generate");
        assertThat(missing.statusCode()).isEqualTo(409);
        assertThat(json(missing.body()).path("message").asText()).isEqualTo("Missing required values: ORG_UNIT_CODE");
        JsonNode values = json(getText(server,
                "/api/trackedEntityAttributes/lZGmxYbs97q/generateAndReserve?numberToReserve=2&ORG_UNIT_CODE=OSLO").body());
        assertThat(values.get(0).path("key").asText()).isEqualTo("MR-OSL-SEQUENTIAL(###)");
        assertThat(values.get(0).path("value").asText()).isEqualTo("MR-OSL-001");
        assertThat(values.get(1).path("value").asText()).isEqualTo("MR-OSL-002");

        JsonNode required = json(getText(server, "/api/trackedEntityAttributes/lZGmxYbs97q/requiredValues").body());
        assertThat(required.path("REQUIRED").get(0).asText()).isEqualTo("ORG_UNIT_CODE");
        assertThat(required.path("OPTIONAL").get(0).asText()).isEqualTo("SEQUENTIAL");
    }

    @Test
    @Contract({"RSV-8"})
    void currentDateUsesTheServersClock() throws Exception {
        server.instance().clock().setOffset(Duration.ofDays(40));
        String month = DateTimeFormatter.ofPattern("yyyyMM")
                .format(LocalDate.ofInstant(server.instance().clock().instant(), ZoneOffset.UTC));
        JsonNode v = json(getText(server, "/api/trackedEntityAttributes/datedPattrn/generate?expiration=5").body());
        assertThat(v.path("value").asText()).matches(month + "-[A-Z]\\d\\d");
        assertThat(v.path("key").asText()).isEqualTo(month + "-RANDOM(X##)");
    }

    @Test
    @Contract({"RSV-3"})
    void unknownAttributeIs404AndAttributeWithoutPatternIs400() throws Exception {
        HttpResponse<String> unknown = getText(server, "/api/trackedEntityAttributes/NoSuchAttr1/generateAndReserve");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).path("httpStatus").asText()).isEqualTo("Not Found");
        assertThat(json(unknown.body()).path("message").asText())
                .isEqualTo("TrackedEntityAttribute with id NoSuchAttr1 could not be found.");
        HttpResponse<String> plain = getText(server, "/api/trackedEntityAttributes/w75KJ2mc4zz/generateAndReserve");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(json(plain.body()).path("message").asText()).isEqualTo("Attribute does not contain pattern.");
    }

    @Test
    @Contract("RSV-6")
    void sequentialCountersRunOutWith409AndNeverGoBack() throws Exception {
        attribute("seqTwoDigit", "\"A\" + SEQUENTIAL(##)");
        JsonNode first = json(getText(server,
                "/api/trackedEntityAttributes/seqTwoDigit/generateAndReserve?numberToReserve=98").body());
        assertThat(first.get(0).path("value").asText()).isEqualTo("A01");
        assertThat(first.get(97).path("value").asText()).isEqualTo("A98");
        // 99 and 100 asked: 100 does not fit two digits, nothing is reserved
        HttpResponse<String> over = getText(server,
                "/api/trackedEntityAttributes/seqTwoDigit/generateAndReserve?numberToReserve=2");
        assertThat(over.statusCode()).isEqualTo(409);
        assertThat(json(over.body()).path("message").asText())
                .isEqualTo("Unable to reserve value, no new values available.");
        assertThat(json(getText(server, "/api/trackedEntityAttributes/seqTwoDigit/generate").body())
                .path("value").asText()).isEqualTo("A99");
        assertThat(getText(server, "/api/trackedEntityAttributes/seqTwoDigit/generate").statusCode()).isEqualTo(409);
    }

    @Test
    @Contract("RSV-4")
    void patternSegmentsFollowTextPatternMethod() {
        ReservedValuePattern p = ReservedValuePattern.parse(
                "\"ID \\\"A\\\"\" + CURRENT_DATE(yyyy)+ORG_UNIT_CODE(^..) +  RANDOM(X#x*)");
        LocalDate day = LocalDate.of(2026, 12, 2);
        assertThat(p.key("OSLO", day)).isEqualTo("ID \"A\"2026OSRANDOM(X#x*)");
        for (long i : new long[] {0, 12_345, p.capacity() - 1}) {
            assertThat(p.value("OSLO", day, i)).matches("ID \"A\"2026OS[A-Z][0-9][a-z][0-9A-Za-z]");
        }
        assertThat(p.capacity()).isEqualTo(26L * 10 * 26 * 62);
        assertThat(ReservedValuePattern.parse("ORG_UNIT_CODE() + SEQUENTIAL(############)").capacity())
                .isEqualTo(999_999_999_999L);
        for (String invalid : List.of("RANDOM(#############)", "SEQUENTIAL(#X)", "RANDOM()", "ORG_UNIT_CODE(abc) + RANDOM(#)",
                "CURRENT_DATE() + RANDOM(#)", "\"only text\"", "RANDOM(#) + SEQUENTIAL(#)", "UNKNOWN(#) + RANDOM(#)")) {
            assertThatThrownBy(() -> ReservedValuePattern.parse(invalid)).as(invalid)
                    .isInstanceOf(Dhis2Exception.class);
        }
    }

    @Test
    @Contract("RSV-9")
    void expiredReservationsFreeTheirValues() throws Exception {
        assertThat(json(getText(server,
                "/api/trackedEntityAttributes/tinyPattrn1/generateAndReserve?numberToReserve=10&expiration=1").body()))
                .hasSize(10);
        assertThat(getText(server, "/api/trackedEntityAttributes/tinyPattrn1/generate").statusCode()).isEqualTo(409);
        server.instance().clock().setOffset(Duration.ofDays(2));
        JsonNode again = json(getText(server,
                "/api/trackedEntityAttributes/tinyPattrn1/generateAndReserve?numberToReserve=10").body());
        assertThat(again).hasSize(10);
    }
}
