package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataValuePagingTest {

    private static String export(int n) {
        StringBuilder b = new StringBuilder("{\"dataValues\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"dataElement\":\"de").append(i).append("\",\"period\":\"202401\","
                    + "\"orgUnit\":\"ou\",\"categoryOptionCombo\":\"coc\",\"attributeOptionCombo\":\"aoc\",\"value\":\"")
                    .append(i).append("\",\"storedBy\":\"admin\",\"created\":\"2024-01-02T10:00:00.000+0000\","
                            + "\"lastUpdated\":\"2024-01-02T10:00:0").append(i % 10)
                    .append(".000+0000\",\"comment\":null,\"followup\":false").append(i == 3 ? ",\"deleted\":true" : "")
                    .append("}");
        }
        return b.append("]}").toString();
    }

    private static List<DataValuePage> pages(String json, int size, java.util.function.Predicate<DataValue> send) {
        List<DataValuePage> pages = new ArrayList<>();
        new DataValueExportReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), size, send)
                .forEachRemaining(pages::add);
        return pages;
    }

    @Test
    void splitsTheStreamIntoNumberedPages() {
        List<DataValuePage> pages = pages(export(12), 5, v -> true);
        assertThat(pages).extracting(DataValuePage::number).containsExactly(1, 2, 3);
        assertThat(pages).extracting(p -> p.values().size()).containsExactly(5, 5, 2);
        DataValue deleted = pages.get(0).values().get(3);
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.lastUpdated()).isEqualTo(Instant.parse("2024-01-02T10:00:03Z").toEpochMilli());
        assertThat(pages.get(0).oldestLastUpdated()).isEqualTo(Instant.parse("2024-01-02T10:00:00Z").toEpochMilli());
    }

    @Test
    void skippedValuesDoNotMakePagesAndEmptyExportsHaveNone() {
        assertThat(pages(export(6), 5, v -> !v.dataElement().equals("de2"))).extracting(p -> p.values().size())
                .containsExactly(5);
        assertThat(pages("{\"dataValues\":[]}", 5, v -> true)).isEmpty();
        assertThat(pages("{}", 5, v -> true)).isEmpty();
    }

    @Test
    void postedBodyStripsTimestampsAndKeepsTheDeleteFlag() {
        String body = new String(pages(export(4), 10, v -> true).get(0).toJson(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("created").doesNotContain("lastUpdated").contains("\"deleted\":true")
                .contains("\"comment\":null").contains("\"followup\":false");
    }

    @Test
    void conflictsAreTiedToValuesByIndexOrByObject() {
        DataValuePage page = pages(export(3), 10, v -> true).get(0);
        var byIndex = new ImportJudgement("WARNING", "", 2, 0, 1, 0,
                List.of(new ImportJudgement.Conflict("ou", "bad", "E7612", "orgUnit", List.of(2))));
        assertThat(RejectedItems.of(page, byIndex)).containsOnlyKeys(2);
        var legacy = new ImportJudgement("WARNING", "", 2, 0, 1, 0,
                List.of(new ImportJudgement.Conflict("1", "Data value is not numeric: de1", null, null, List.of())));
        assertThat(RejectedItems.of(page, legacy)).containsOnlyKeys(1);
        var unknown = new ImportJudgement("WARNING", "", 2, 0, 1, 0,
                List.of(new ImportJudgement.Conflict("zzz", "?", null, null, List.of())));
        assertThat(RejectedItems.of(page, unknown)).isNull();
        assertThat(RejectedItems.of(page, new ImportJudgement("SUCCESS", "", 3, 0, 0, 0, List.of())))
                .isEqualTo(Map.of());
    }

    /** Three values of period 202401: de1 and de2 of data set dsA, de3 of data set dsB. */
    private static DataValuePage samePeriodPage(java.util.Map<String, java.util.Set<String>> dataSetsOf) {
        List<DataValue> values = new ArrayList<>();
        for (String de : List.of("de1", "de2", "de3")) {
            values.add(new DataValue(de, "202401", "ou", "coc", "aoc", "5", "admin", null, false, false, 0L));
        }
        return new DataValuePage(1, values, dataSetsOf);
    }

    @Test
    void legacyConflictsNeverRejectMoreValuesThanCentralIgnored() {
        // pre-2.38 (DefaultDataValueSetService of 2.36): {"object": period, "value": "... data set: dsA"}, no indexes
        var expired = new ImportJudgement("WARNING", "", 1, 0, 2, 0, List.of(new ImportJudgement.Conflict("202401",
                "Current date is past expiry days for period 202401 and data set: dsA", null, null, List.of())));
        // without knowing which data set a value belongs to, the conflict fits 3 values where central ignored 2
        assertThat(RejectedItems.of(samePeriodPage(Map.of()), expired)).isNull();
    }

    @Test
    void legacyConflictsAreTiedToTheValuesTheirMessageNames() {
        var sets = Map.of("de1", java.util.Set.of("dsA"), "de2", java.util.Set.of("dsA"), "de3",
                java.util.Set.of("dsB"));
        var expired = new ImportJudgement("WARNING", "", 1, 0, 2, 0, List.of(new ImportJudgement.Conflict("202401",
                "Current date is past expiry days for period 202401 and data set: dsA", null, null, List.of())));
        assertThat(RejectedItems.of(samePeriodPage(sets), expired)).containsOnlyKeys(0, 1);
        var future = new ImportJudgement("WARNING", "", 2, 0, 1, 0, List.of(new ImportJudgement.Conflict("202401",
                "Period: 202401 is after latest open future period: 202312 for data element: de2", null, null,
                List.of())));
        assertThat(RejectedItems.of(samePeriodPage(sets), future)).containsOnlyKeys(1);
    }

    @Test
    void windowStartsEarlierWhenTheLocalClockWentBack() {
        Instant mark = Instant.parse("2024-05-01T10:00:00Z");
        // normal: the server clock moved on as much as the bookkeeping clock did
        assertThat(DataValueSync.lowerBound(new AggregateBookkeeping.Watermark(mark, 5_000),
                mark.plusSeconds(10))).isEqualTo(mark);
        // stepped back 10 minutes since: start where the server's clock stood then, with a minute of margin
        Instant stepped = mark.plusSeconds(10).minusSeconds(600);
        assertThat(DataValueSync.lowerBound(new AggregateBookkeeping.Watermark(mark, 5_000), stepped))
                .isEqualTo(stepped.minusSeconds(5).minusSeconds(60));
    }

    @Test
    void serverTimeIsReadInTheServersZone() {
        ServerTime.Now now = ServerTime.fromSystemInfo(
                "{\"serverDate\":\"2024-05-01T12:00:00.123\",\"serverTimeZoneId\":\"Africa/Nairobi\"}");
        assertThat(now.instant()).isEqualTo(Instant.parse("2024-05-01T09:00:00.123Z"));
        assertThat(now.format(now.instant())).isEqualTo("2024-05-01T12:00:00.123");
    }
}
