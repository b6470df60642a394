package org.dhis2.sync.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A page of data values as DHIS2's CSV import reads it (core@2.41.8.2 CsvDataValueSetReader, the same columns since
 * 2.31): a header row, then by position dataelement, period, orgunit, categoryoptioncombo, attributeoptioncombo,
 * value, storedby, lastupdated, comment, followup, deleted. {@code lastupdated} stays empty (DHIS2-8084: 2.39/2.40
 * would keep it); an empty cell is what JSON's null is to DHIS2 (value and comment are trimmed to null, an empty
 * storedBy becomes the importing user); followup and deleted are written only when true (Boolean.valueOf("") is
 * false). Conflicts name their value by its index among the rows after the header, as for JSON.
 */
final class DataValueCsv {

    static final String HEADER = "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,"
            + "storedby,lastupdated,comment,followup,deleted\n";

    private DataValueCsv() {
    }

    static byte[] write(List<DataValue> values) {
        StringBuilder csv = new StringBuilder(HEADER.length() + values.size() * 80);
        csv.append(HEADER);
        for (DataValue v : values) {
            cell(csv, v.dataElement()).append(',');
            cell(csv, v.period()).append(',');
            cell(csv, v.orgUnit()).append(',');
            cell(csv, v.categoryOptionCombo()).append(',');
            cell(csv, v.attributeOptionCombo()).append(',');
            cell(csv, v.value()).append(',');
            cell(csv, v.storedBy()).append(",,");
            cell(csv, v.comment()).append(',');
            csv.append(v.followup() ? "true" : "").append(',');
            csv.append(v.deleted() ? "true" : "").append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A cell as javacsv's CsvReader (DHIS2's reader) gives it back: quoted, with quotes doubled, when it holds a
     * delimiter, quote or line break, or starts or ends with white space (unquoted cells are trimmed).
     */
    private static StringBuilder cell(StringBuilder csv, String text) {
        if (text == null || text.isEmpty()) {
            return csv;
        }
        boolean quote = Character.isWhitespace(text.charAt(0))
                || Character.isWhitespace(text.charAt(text.length() - 1));
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            return csv.append(text);
        }
        return csv.append('"').append(text.replace("\"", "\"\"")).append('"');
    }
}
