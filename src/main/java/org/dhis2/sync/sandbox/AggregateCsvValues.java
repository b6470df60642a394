package org.dhis2.sync.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/dataValueSets} with {@code Content-Type: application/csv}, read as DHIS2 reads it
 * (core@2.41.8.2 CsvDataValueSetReader through CsvUtils.getReader, javacsv's CsvReader with its defaults): columns
 * by position (dataelement, period, orgunit, categoryoptioncombo, attributeoptioncombo, value, storedby,
 * lastupdated, comment, followup, deleted), the first row skipped unless {@code firstRowIsHeader=false}, the set's
 * data set only from {@code ?dataSet=}, no created date. Cells are unquoted and trimmed, or quoted with doubled
 * quotes; a missing cell is empty; empty lines are skipped. An empty value, comment, storedBy or lastupdated is
 * null to the import (DefaultDataValueSetService trims value and comment to null; DataValueEntry.hasLastUpdated).
 */
final class AggregateCsvValues {

    private AggregateCsvValues() {
    }

    static void parse(InputStream in, SandboxRequest request, AggregateDataValueImport.Header header,
                      List<AggregateDataValueImport.Incoming> values) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        header.dataSet = request.param("dataSet").filter(s -> !s.isEmpty()).orElse(null);
        boolean skip = request.flag("firstRowIsHeader", true);
        List<String> row;
        while ((row = record(reader)) != null) {
            if (skip) {
                skip = false;
                continue;
            }
            values.add(new AggregateDataValueImport.Incoming(cell(row, 0), cell(row, 1), cell(row, 2),
                    cell(row, 3), cell(row, 4), cell(row, 5), cell(row, 8),
                    Boolean.parseBoolean(cell(row, 9)), cell(row, 6), null, cell(row, 7),
                    Boolean.valueOf(cell(row, 10))));
        }
    }

    private static String cell(List<String> row, int index) {
        String text = index < row.size() ? row.get(index) : "";
        return text.isEmpty() ? null : text;
    }

    /** The next non-empty record, or null at the end of the input. */
    private static List<String> record(Reader in) throws IOException {
        while (true) {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            int c = in.read();
            if (c < 0) {
                return null;
            }
            while (true) {
                if (c < 0 || (!quoted && (c == '\n' || c == '\r'))) {
                    cells.add(quoted ? cell.toString() : cell.toString().trim());
                    break;
                }
                any = true;
                if (c == '"' && cell.toString().isBlank() && !quoted) {
                    quoted = true;
                    cell.setLength(0);
                    c = quotedCell(in, cell);
                    // after the closing quote: anything up to the delimiter is ignored, as javacsv does
                    while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                        c = in.read();
                    }
                    continue;
                }
                if (c == ',') {
                    cells.add(quoted ? cell.toString() : cell.toString().trim());
                    cell.setLength(0);
                    quoted = false;
                } else {
                    cell.append((char) c);
                }
                c = in.read();
            }
            if (any && !(cells.size() == 1 && cells.get(0).isEmpty() && !quoted)) {
                return cells;
            }
        }
    }

    /** Reads a quoted cell's text after its opening quote; returns the character after the closing quote. */
    private static int quotedCell(Reader in, StringBuilder cell) throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) {
                return c;
            }
            if (c == '"') {
                int next = in.read();
                if (next != '"') {
                    return next;
                }
            }
            cell.append((char) c);
        }
    }
}
