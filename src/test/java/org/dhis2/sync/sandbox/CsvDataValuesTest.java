package org.dhis2.sync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.aggregate.DataValue;
import org.dhis2.sync.aggregate.DataValuePage;
import org.junit.jupiter.api.Test;

/**
 * The engine's CSV page read back the way DHIS2's CsvDataValueSetReader (javacsv) reads it: every field arrives as
 * JSON would carry it, also comments with delimiters, quotes, line breaks and edge spaces; empty cells are null.
 */
class CsvDataValuesTest {

    @Test
    void anEngineCsvPageReadsBackFieldForField() throws Exception {
        List<DataValue> sent = List.of(
                new DataValue("deA", "202401", "ouA", "cocA", "aocA", "12", "admin", null, false, false, 1L),
                new DataValue("deB", "2024W3", "ouB", "cocB", "aocB", "a, \"quoted\" text", null,
                        "line one\nline two, \"with\" quotes", true, false, 2L),
                new DataValue("deC", "202402", "ouC", "cocC", "aocC", null, "someone", "  padded  ", false, true, 3L));
        byte[] csv = new DataValuePage(1, sent).toCsv();

        AggregateDataValueImport.Header header = new AggregateDataValueImport.Header();
        List<AggregateDataValueImport.Incoming> read = new ArrayList<>();
        SandboxRequest request = new SandboxRequest("POST", "/api/dataValueSets", null, "dataSet=dsX",
                Map.of("Content-Type", "application/csv"), new ByteArrayInputStream(csv), 1);
        AggregateCsvReader.read(new ByteArrayInputStream(csv), request.flag("firstRowIsHeader", true),
                request.param("dataSet").orElse(null), header, read);

        assertThat(header.dataSet).isEqualTo("dsX");
        assertThat(read).hasSize(3);
        for (int i = 0; i < sent.size(); i++) {
            DataValue s = sent.get(i);
            AggregateDataValueImport.Incoming r = read.get(i);
            assertThat(r.dataElement()).isEqualTo(s.dataElement());
            assertThat(r.period()).isEqualTo(s.period());
            assertThat(r.orgUnit()).isEqualTo(s.orgUnit());
            assertThat(r.categoryOptionCombo()).isEqualTo(s.categoryOptionCombo());
            assertThat(r.attributeOptionCombo()).isEqualTo(s.attributeOptionCombo());
            assertThat(r.value()).isEqualTo(s.value());
            assertThat(r.storedBy()).isEqualTo(s.storedBy());
            assertThat(r.comment()).isEqualTo(s.comment());
            assertThat(r.followup()).isEqualTo(s.followup());
            assertThat(r.deleted()).isEqualTo(s.deleted());
            assertThat(r.lastUpdated()).as("never sent").isNull();
            assertThat(r.created()).isNull();
        }
    }

    @Test
    void theHeaderRowIsSkippedUnlessFirstRowIsHeaderIsFalse() throws Exception {
        byte[] csv = "deA,202401,ouA,cocA,aocA,5\r\n\r\ndeB,202401,ouB,cocB,aocB,6".getBytes();
        List<AggregateDataValueImport.Incoming> read = new ArrayList<>();
        SandboxRequest request = new SandboxRequest("POST", "/api/dataValueSets", null, "firstRowIsHeader=false",
                Map.of(), new ByteArrayInputStream(csv), 1);
        AggregateCsvReader.read(new ByteArrayInputStream(csv), request.flag("firstRowIsHeader", true),
                request.param("dataSet").orElse(null), new AggregateDataValueImport.Header(), read);
        assertThat(read).extracting(AggregateDataValueImport.Incoming::value).containsExactly("5", "6");
        assertThat(read.get(1).deleted()).isFalse();
        assertThat(read.get(1).comment()).isNull();
    }
}
