package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * Splits a streamed {@code GET /api/dataValueSets} answer into pages while it is read: only one page of values is
 * in memory at a time, so a million-value export works in a small heap. Values the filter refuses (conflicts already
 * recorded for this very change) are skipped. The stream is closed when the last page has been read.
 */
public final class DataValueExportReader implements Iterator<DataValuePage>, AutoCloseable {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser parser;
    private final java.util.function.IntSupplier pageSize;
    private final Predicate<DataValue> send;
    private final java.util.Map<String, java.util.Set<String>> dataSetsOf;
    private String headerPeriod;
    private String headerOrgUnit;
    private String headerAoc;
    private boolean inValues;
    private boolean done;
    private int pages;
    private long skipped;
    private DataValuePage next;

    public DataValueExportReader(InputStream in, int pageSize, Predicate<DataValue> send) {
        this(in, pageSize, send, java.util.Map.of());
    }

    /** @param dataSetsOf data element → its data sets on local, for tying conflicts without indexes to values */
    public DataValueExportReader(InputStream in, int pageSize, Predicate<DataValue> send,
                                 java.util.Map<String, java.util.Set<String>> dataSetsOf) {
        this(in, () -> pageSize, send, dataSetsOf);
    }

    /** @param pageSize the size of the next page, asked for each page (it adapts to what central accepts) */
    public DataValueExportReader(InputStream in, java.util.function.IntSupplier pageSize, Predicate<DataValue> send,
                                 java.util.Map<String, java.util.Set<String>> dataSetsOf) {
        this.dataSetsOf = dataSetsOf;
        try {
            this.parser = FACTORY.createParser(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pageSize = pageSize;
        this.send = send;
    }

    /** Values left out because their change was already judged (a recorded conflict). */
    public long skipped() {
        return skipped;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                next = readPage();
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("reading the local data value export failed: " + e.getMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public DataValuePage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DataValuePage page = next;
        next = null;
        return page;
    }

    private DataValuePage readPage() throws IOException {
        int size = Math.max(1, pageSize.getAsInt());
        List<DataValue> values = new ArrayList<>(Math.min(size, 4096));
        while (values.size() < size) {
            DataValue v = nextValue();
            if (v == null) {
                done = true;
                close();
                break;
            }
            if (send.test(v)) {
                values.add(v);
            } else {
                skipped++;
            }
        }
        return values.isEmpty() ? null : new DataValuePage(++pages, values, dataSetsOf);
    }

    /** The next value of the dataValues array, or null at the end of the document. */
    private DataValue nextValue() throws IOException {
        if (!inValues) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the export is not a dataValueSet object");
            }
            while (true) {
                JsonToken t = parser.nextToken();
                if (t != JsonToken.FIELD_NAME) {
                    return null; // end of object without a dataValues array
                }
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("dataValues") && value == JsonToken.START_ARRAY) {
                    inValues = true;
                    break;
                }
                switch (field) {
                    case "period" -> headerPeriod = text(value);
                    case "orgUnit" -> headerOrgUnit = text(value);
                    case "attributeOptionCombo" -> headerAoc = text(value);
                    default -> parser.skipChildren();
                }
            }
        }
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_ARRAY) {
            inValues = false;
            // the rest of the document (trailing set fields) carries no values
            while (parser.nextToken() != null) {
                parser.skipChildren();
            }
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new IOException("unexpected " + t + " in dataValues");
        }
        String de = null, pe = headerPeriod, ou = headerOrgUnit, coc = null, aoc = headerAoc, value = null;
        String storedBy = null, comment = null, lastUpdated = null;
        boolean followup = false, deleted = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken v = parser.nextToken();
            switch (field) {
                case "dataElement" -> de = text(v);
                case "period" -> pe = text(v);
                case "orgUnit" -> ou = text(v);
                case "categoryOptionCombo" -> coc = text(v);
                case "attributeOptionCombo" -> aoc = text(v);
                case "value" -> value = text(v);
                case "storedBy" -> storedBy = text(v);
                case "comment" -> comment = text(v);
                case "lastUpdated" -> lastUpdated = text(v);
                case "followup", "followUp" -> followup = v == JsonToken.VALUE_TRUE;
                case "deleted" -> deleted = v == JsonToken.VALUE_TRUE;
                default -> parser.skipChildren();
            }
        }
        return new DataValue(de, pe, ou, coc, aoc, value, storedBy, comment, followup, deleted,
                lastUpdated == null ? DataValue.UNDATED : ServerTime.parseDataValueTimestamp(lastUpdated));
    }

    private String text(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        return parser.getText();
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException ignored) {
            // the answer is done with either way
        }
    }
}
