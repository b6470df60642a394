package org.dhis2.sync.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/dataValueSets} with {@code Content-Type: application/csv}, read as DHIS2's CsvDataValueSetReader
 * does: columns by position (dataelement, period, orgunit, categoryoptioncombo, attributeoptioncombo, value,
 * storedby, lastupdated, comment, followup, deleted), the first row skipped unless {@code firstRowIsHeader=false},
 * no {@code created}, and no set-level fields but {@code ?dataSet=}. The records follow javacsv's CsvReader defaults
 * (comma, double quotes with "" inside, unquoted fields trimmed, empty records skipped, a missing column is "").
 */
final class AggregateCsvReader {

    private AggregateCsvReader() {
    }

    static void read(InputStream in, boolean firstRowIsHeader, String dataSet,
                     AggregateDataValueImport.Header header, List<AggregateDataValueImport.Incoming> values)
            throws IOException {
        header.dataSet = dataSet == null || dataSet.isEmpty() ? null : dataSet;
        Reader reader = new java.io.BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> record;
        boolean first = true;
        while ((record = nextRecord(reader)) != null) {
            if (first && firstRowIsHeader) {
                first = false;
                continue;
            }
            first = false;
            values.add(new AggregateDataValueImport.Incoming(get(record, 0), get(record, 1), get(record, 2),
                    get(record, 3), get(record, 4), get(record, 5), get(record, 8),
                    Boolean.parseBoolean(get(record, 9)), get(record, 6), null, get(record, 7),
                    Boolean.valueOf(get(record, 10))));
        }
    }

    /** A column's text, null when empty (DHIS2 checks these with isEmpty). */
    private static String get(List<String> record, int index) {
        String value = index < record.size() ? record.get(index) : "";
        return value.isEmpty() ? null : value;
    }

    /** The next non-empty record, or null at the end. */
    static List<String> nextRecord(Reader in) throws IOException {
        while (true) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            boolean any = false;
            int c;
            while ((c = in.read()) >= 0) {
                any = true;
                if (quoted) {
                    if (c == '"') {
                        in.mark(1);
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next >= 0) {
                                in.reset();
                            }
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == '"' && field.toString().isBlank()) {
                    quoted = true;
                    wasQuoted = true;
                    field.setLength(0);
                } else if (c == ',') {
                    fields.add(wasQuoted ? field.toString() : field.toString().trim());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        in.mark(1);
                        if (in.read() != '\n') {
                            in.reset();
                        }
                    }
                    break;
                } else {
                    field.append((char) c);
                }
            }
            if (!any) {
                return null;
            }
            fields.add(wasQuoted ? field.toString() : field.toString().trim());
            boolean empty = fields.size() == 1 && fields.get(0).isEmpty();
            if (!empty) {
                return fields;
            }
            if (c < 0) {
                return null;
            }
        }
    }
}
