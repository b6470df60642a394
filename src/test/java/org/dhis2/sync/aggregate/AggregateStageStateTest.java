package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11 #13: the stage beans are shared by every run; a value without lastUpdated cannot break the watermark. */
class AggregateStageStateTest {

    @Test
    void stageBeansKeepNoPerRunStateInFields() {
        for (Class<?> type : List.of(DataValueSync.class, CompleteRegistrationSync.class, PagedPushStage.class,
                PageSettlement.class, StageEnd.class)) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    assertThat(Modifier.isFinal(field.getModifiers()))
                            .as("%s.%s is per-run state in a shared bean", type.getSimpleName(), field.getName())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void aValueWithoutLastUpdatedDoesNotPullTheOldestChangeOutOfRange() {
        String export = "{\"dataValues\":[{\"dataElement\":\"de1\",\"period\":\"202401\",\"orgUnit\":\"ou\","
                + "\"categoryOptionCombo\":\"coc\",\"attributeOptionCombo\":\"aoc\",\"value\":\"1\"},"
                + "{\"dataElement\":\"de2\",\"period\":\"202401\",\"orgUnit\":\"ou\",\"categoryOptionCombo\":\"coc\","
                + "\"attributeOptionCombo\":\"aoc\",\"value\":\"2\",\"lastUpdated\":\"2024-01-02T10:00:00.000+0000\"}]}";
        List<DataValuePage> pages = new ArrayList<>();
        new DataValueExportReader(new ByteArrayInputStream(export.getBytes(StandardCharsets.UTF_8)), 10, v -> true)
                .forEachRemaining(pages::add);
        long oldest = pages.get(0).oldestLastUpdated();
        // the watermark is an Instant: Long.MIN_VALUE milliseconds is outside its range
        assertThat(oldest).isNotEqualTo(Long.MIN_VALUE);
        assertThat(java.time.Instant.ofEpochMilli(oldest)).isNotNull();
        assertThat(oldest).isEqualTo(java.time.Instant.parse("2024-01-02T10:00:00Z").toEpochMilli());
        assertThat(pages.get(0).hasUndated()).as("the page cannot be placed whole in the window").isTrue();
        java.time.Instant high = java.time.Instant.parse("2024-01-03T00:00:00Z");
        assertThat(DataValueSync.nextWatermark(high, Long.MAX_VALUE)).isEqualTo(high);
        assertThat(DataValueSync.nextWatermark(high, oldest)).isEqualTo(java.time.Instant.ofEpochMilli(oldest));
    }
}
