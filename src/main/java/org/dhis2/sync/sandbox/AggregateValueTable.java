package org.dhis2.sync.sandbox;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.dhis2.sync.sandbox.AggregateStore.DataValue;

/**
 * The data values of {@link AggregateStore}, column-wise: interned UIDs, one array per field and an
 * open-addressing index on the five-part key (about 70 bytes a value). Rows are only appended, so row order is
 * insertion order and stable. Not thread-safe: {@link AggregateValues} holds the lock around every call.
 */
final class AggregateValueTable {

    private static final byte FOLLOWUP = 1;
    private static final byte DELETED = 2;
    /** A value that is the canonical text of an int is kept in {@code num} without a String. */
    private static final byte NUMERIC = 4;

    private final StringInterner interner = new StringInterner();
    private int rows;
    private int[] de = new int[0];
    private int[] pe = new int[0];
    private int[] ou = new int[0];
    private int[] coc = new int[0];
    private int[] aoc = new int[0];
    private int[] storedBy = new int[0];
    private int[] num = new int[0];
    private String[] text = new String[0];
    private String[] comment = new String[0];
    private long[] created = new long[0];
    private long[] lastUpdated = new long[0];
    private byte[] flags = new byte[0];
    private int deletedRows;
    /** Open addressing: row + 1, 0 = empty. */
    private int[] index = new int[1024];

    /** Rows stored, soft-deleted ones included. */
    int rows() {
        return rows;
    }

    int deletedRows() {
        return deletedRows;
    }

    boolean isDeleted(int row) {
        return (flags[row] & DELETED) != 0;
    }

    /** Empties the table; interned strings stay (they are only ids). */
    void clear() {
        rows = 0;
        deletedRows = 0;
        Arrays.fill(index, 0);
        Arrays.fill(text, null);
        Arrays.fill(comment, null);
    }

    /** A filter for one scan, resolved against this table's interned ids. */
    AggregateValueFilter filter(AggregateStore.Query query) {
        return new AggregateValueFilter(query, interner);
    }

    /**
     * Adds the matching rows from {@code cursor} (up to {@code end}) to the batch until it holds {@code max};
     * returns the next cursor.
     */
    int collect(AggregateValueFilter filter, int cursor, int end, int max, List<DataValue> batch) {
        while (cursor < end && batch.size() < max) {
            int r = cursor++;
            if (filter.accepts(de[r], ou[r], aoc[r], pe[r], lastUpdated[r], (flags[r] & DELETED) != 0)) {
                batch.add(read(r));
            }
        }
        return cursor;
    }

    private String name(int id) {
        return interner.name(id);
    }

    /** The row of a key, deleted rows included, or -1. */
    int find(String d, String p, String o, String c, String a) {
        Integer di = interner.id(d);
        Integer pi = interner.id(p);
        Integer oi = interner.id(o);
        Integer ci = interner.id(c);
        Integer ai = interner.id(a);
        if (di == null || pi == null || oi == null || ci == null || ai == null) {
            return -1;
        }
        return findRow(di, pi, oi, ci, ai);
    }

    private int findRow(int d, int p, int o, int c, int a) {
        int mask = index.length - 1;
        for (int slot = hash(d, p, o, c, a) & mask; ; slot = (slot + 1) & mask) {
            int entry = index[slot];
            if (entry == 0) {
                return -1;
            }
            int r = entry - 1;
            if (de[r] == d && pe[r] == p && ou[r] == o && coc[r] == c && aoc[r] == a) {
                return r;
            }
        }
    }

    private static int hash(int d, int p, int o, int c, int a) {
        int h = d;
        h = h * 31 + p;
        h = h * 31 + o;
        h = h * 31 + c;
        h = h * 31 + a;
        return h ^ (h >>> 16) * 0x45d9f3b;
    }

    /** Creates or replaces the row of the value's key (a deleted row comes back with it). */
    void upsert(DataValue v) {
        int d = interner.intern(v.dataElement());
        int p = interner.intern(v.period());
        int o = interner.intern(v.orgUnit());
        int c = interner.intern(v.categoryOptionCombo());
        int a = interner.intern(v.attributeOptionCombo());
        int row = findRow(d, p, o, c, a);
        if (row < 0) {
            ensureCapacity(rows + 1);
            row = rows++;
            de[row] = d;
            pe[row] = p;
            ou[row] = o;
            coc[row] = c;
            aoc[row] = a;
            flags[row] = 0;
            addToIndex(row);
        } else if ((flags[row] & DELETED) != 0) {
            deletedRows--;
        }
        byte f = 0;
        if (v.followup()) {
            f |= FOLLOWUP;
        }
        if (v.deleted()) {
            f |= DELETED;
            deletedRows++;
        }
        Integer asInt = canonicalInt(v.value());
        if (asInt != null) {
            f |= NUMERIC;
            num[row] = asInt;
            text[row] = null;
        } else {
            text[row] = v.value();
        }
        flags[row] = f;
        comment[row] = v.comment();
        storedBy[row] = v.storedBy() == null ? -1 : interner.intern(v.storedBy());
        long now = System.currentTimeMillis();
        created[row] = v.created() == null ? now : v.created().toEpochMilli();
        lastUpdated[row] = v.lastUpdated() == null ? now : v.lastUpdated().toEpochMilli();
    }

    void markDeleted(int row, long when) {
        flags[row] |= DELETED;
        lastUpdated[row] = when;
        deletedRows++;
    }

    DataValue read(int r) {
        byte f = flags[r];
        String value = (f & NUMERIC) != 0 ? Integer.toString(num[r]) : text[r];
        return new DataValue(name(de[r]), name(pe[r]), name(ou[r]), name(coc[r]), name(aoc[r]), value, comment[r],
                (f & FOLLOWUP) != 0, name(storedBy[r]), Instant.ofEpochMilli(created[r]),
                Instant.ofEpochMilli(lastUpdated[r]), (f & DELETED) != 0);
    }

    private static Integer canonicalInt(String value) {
        if (value == null || value.isEmpty() || value.length() > 10) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            return Integer.toString(n).equals(value) ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void ensureCapacity(int needed) {
        if (needed > de.length) {
            int cap = Math.max(needed, Math.max(1024, de.length + (de.length >> 1)));
            de = Arrays.copyOf(de, cap);
            pe = Arrays.copyOf(pe, cap);
            ou = Arrays.copyOf(ou, cap);
            coc = Arrays.copyOf(coc, cap);
            aoc = Arrays.copyOf(aoc, cap);
            storedBy = Arrays.copyOf(storedBy, cap);
            num = Arrays.copyOf(num, cap);
            text = Arrays.copyOf(text, cap);
            comment = Arrays.copyOf(comment, cap);
            created = Arrays.copyOf(created, cap);
            lastUpdated = Arrays.copyOf(lastUpdated, cap);
            flags = Arrays.copyOf(flags, cap);
        }
        if ((long) needed * 10 > (long) index.length * 6) {
            int size = index.length;
            while ((long) needed * 10 > (long) size * 6) {
                size <<= 1;
            }
            index = new int[size];
            for (int r = 0; r < rows; r++) {
                addToIndex(r);
            }
        }
    }

    private void addToIndex(int row) {
        int mask = index.length - 1;
        int slot = hash(de[row], pe[row], ou[row], coc[row], aoc[row]) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = row + 1;
    }
}
