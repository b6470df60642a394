package org.dhis2.sync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Aggregate data of one instance: data values keyed by (dataElement, period, orgUnit, categoryOptionCombo,
 * attributeOptionCombo) and complete data set registrations keyed by (dataSet, period, orgUnit, attributeOptionCombo).
 *
 * <p>Data values are kept column-wise with interned UIDs and an open-addressing index (about 70 bytes a value, so a
 * million values fit in well under 100 MB); rows are only appended, so iteration order (insertion order) is stable and
 * an export can walk the rows in chunks without holding the lock while it writes to the network. Values are never
 * removed: a delete is a soft delete, as in DHIS2.
 */
public final class AggregateStore {

    /** One data value as DHIS2 exports it; {@code created}/{@code lastUpdated} are server timestamps. */
    public record DataValue(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                            String attributeOptionCombo, String value, String comment, boolean followup,
                            String storedBy, Instant created, Instant lastUpdated, boolean deleted) {

        public DataValue withValue(String newValue) {
            return new DataValue(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, newValue,
                    comment, followup, storedBy, created, lastUpdated, deleted);
        }
    }

    /** A complete data set registration; DHIS2 filters registration exports by {@code created} only. */
    public record Registration(String dataSet, String period, String organisationUnit, String attributeOptionCombo,
                               Instant date, String storedBy, Instant created, Instant lastUpdated,
                               String lastUpdatedBy, boolean completed) {
    }

    private static final byte FOLLOWUP = 1;
    private static final byte DELETED = 2;
    /** A value that is the canonical text of an int is kept in {@code num} without a String. */
    private static final byte NUMERIC = 4;

    private final Dhis2Instance instance;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> internIds = new HashMap<>();
    private final List<String> interned = new ArrayList<>();

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

    private final ConcurrentSkipListMap<String, Registration> registrations = new ConcurrentSkipListMap<>();
    private volatile java.time.Duration commitDelay = java.time.Duration.ZERO;
    private final java.util.Set<String> expiredPeriods = java.util.concurrent.ConcurrentHashMap.newKeySet();

    AggregateStore(Dhis2Instance instance) {
        this.instance = instance;
    }

    // ---------------------------------------------------------------- data values: public API

    /**
     * How long a {@code POST /api/dataValueSets} import takes between taking its timestamp and committing: DHIS2
     * takes one "now" before it reads the values (DefaultDataValueSetService.importDataValueSet) and its values
     * become visible to exports only when the transaction commits, after the last value. Zero by default.
     */
    public void setCommitDelay(java.time.Duration delay) {
        this.commitDelay = delay;
    }

    java.time.Duration commitDelay() {
        return commitDelay;
    }

    /**
     * The data set's expiry days have passed for the period (DataSet.expiryDays, checked by DHIS2's lock rules):
     * values of the set for that period are rejected on import. A test hook, instead of dates and expiry days.
     */
    public void expirePeriod(String dataSet, String period) {
        expiredPeriods.add(dataSet + '|' + period);
    }

    boolean hasExpiredPeriods() {
        return !expiredPeriods.isEmpty();
    }

    boolean isExpired(String dataSet, String period) {
        return !expiredPeriods.isEmpty() && expiredPeriods.contains(dataSet + '|' + period);
    }

    /** Creates or replaces a value exactly as given (timestamps included). */
    public void put(DataValue value) {
        lock.writeLock().lock();
        try {
            upsert(value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Stores many values under one lock (generators). */
    public void putAll(Collection<DataValue> values) {
        lock.writeLock().lock();
        try {
            ensureCapacity(rows + values.size());
            values.forEach(this::upsert);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<DataValue> get(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                                   String attributeOptionCombo) {
        lock.readLock().lock();
        try {
            int row = find(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
            return row < 0 ? Optional.empty() : Optional.of(read(row));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * "A local user changed this value": creates or updates it (undeleting it), stored by the instance's user, with
     * {@code lastUpdated} = the server clock's next tick.
     */
    public DataValue setValue(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                              String attributeOptionCombo, String value) {
        lock.writeLock().lock();
        try {
            Instant now = instance.clock().tick();
            int row = find(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
            DataValue updated = row < 0
                    ? new DataValue(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, value,
                            null, false, instance.username(), now, now, false)
                    : new DataValue(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, value,
                            comment[row], (flags[row] & FOLLOWUP) != 0, instance.username(),
                            Instant.ofEpochMilli(created[row]), now, false);
            upsert(updated);
            return updated;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Soft-deletes a value ({@code lastUpdated} = next clock tick); false when absent or already deleted. */
    public boolean delete(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                          String attributeOptionCombo) {
        lock.writeLock().lock();
        try {
            int row = find(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
            if (row < 0 || (flags[row] & DELETED) != 0) {
                return false;
            }
            markDeleted(row, instance.clock().tick().toEpochMilli());
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Values that are not deleted. */
    public int count() {
        lock.readLock().lock();
        try {
            return rows - deletedRows;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** All stored values, soft-deleted ones included. */
    public int size() {
        lock.readLock().lock();
        try {
            return rows;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every value (deleted ones included) in the store's stable order. */
    public void forEach(Consumer<DataValue> action) {
        scan(new Query().includeDeleted(true), 4096, batch -> batch.forEach(action));
    }

    /** Every value (deleted ones included) in the store's stable order, as a list (tests; small stores). */
    public List<DataValue> values() {
        List<DataValue> all = new ArrayList<>();
        forEach(all::add);
        return all;
    }

    public void clear() {
        lock.writeLock().lock();
        try {
            rows = 0;
            deletedRows = 0;
            Arrays.fill(index, 0);
            Arrays.fill(text, null);
            Arrays.fill(comment, null);
            registrations.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- queries (exports)

    /** Selection of an export; a null set means "any". */
    static final class Query {
        Collection<String> dataElements;
        Collection<String> orgUnits;
        Collection<String> periods;
        Predicate<String> periodFilter;
        Collection<String> attributeOptionCombos;
        long lastUpdatedFrom = Long.MIN_VALUE;
        boolean includeDeleted;
        int limit = Integer.MAX_VALUE;

        Query includeDeleted(boolean include) {
            this.includeDeleted = include;
            return this;
        }
    }

    /**
     * Walks the matching values in stable order, handing them over in batches; the lock is held only while a batch
     * is collected, never while the sink writes.
     */
    void scan(Query query, int batchSize, Consumer<List<DataValue>> sink) {
        int cursor = 0;
        int remaining = query.limit;
        BitSet des;
        BitSet ous;
        BitSet aocs;
        BitSet pes;
        BitSet peChecked = new BitSet();
        lock.readLock().lock();
        try {
            des = bits(query.dataElements);
            ous = bits(query.orgUnits);
            aocs = bits(query.attributeOptionCombos);
            pes = bits(query.periods);
        } finally {
            lock.readLock().unlock();
        }
        BitSet periodOk = new BitSet();
        while (remaining > 0) {
            List<DataValue> batch = new ArrayList<>(Math.min(batchSize, remaining));
            lock.readLock().lock();
            try {
                int end = rows;
                while (cursor < end && batch.size() < batchSize && batch.size() < remaining) {
                    int r = cursor++;
                    if ((des != null && !des.get(de[r])) || (ous != null && !ous.get(ou[r]))
                            || (aocs != null && !aocs.get(aoc[r])) || (pes != null && !pes.get(pe[r]))
                            || lastUpdated[r] < query.lastUpdatedFrom
                            || (!query.includeDeleted && (flags[r] & DELETED) != 0)) {
                        continue;
                    }
                    if (query.periodFilter != null) {
                        int p = pe[r];
                        if (!peChecked.get(p)) {
                            peChecked.set(p);
                            periodOk.set(p, query.periodFilter.test(interned.get(p)));
                        }
                        if (!periodOk.get(p)) {
                            continue;
                        }
                    }
                    batch.add(read(r));
                }
                if (batch.isEmpty() && cursor >= end) {
                    return;
                }
            } finally {
                lock.readLock().unlock();
            }
            remaining -= batch.size();
            sink.accept(batch);
        }
    }

    private BitSet bits(Collection<String> uids) {
        if (uids == null) {
            return null;
        }
        BitSet set = new BitSet();
        for (String uid : uids) {
            Integer id = internIds.get(uid);
            if (id != null) {
                set.set(id);
            }
        }
        return set;
    }

    // ---------------------------------------------------------------- imports

    /** Write access for an import: every call runs under the store's write lock. */
    interface Writer {
        /** The stored value, deleted ones included, or null. */
        DataValue find(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                       String attributeOptionCombo);

        void put(DataValue value);
    }

    /** Runs an import atomically with respect to other writers and readers' batches. */
    <T> T write(java.util.function.Function<Writer, T> work) {
        lock.writeLock().lock();
        try {
            return work.apply(new Writer() {
                @Override
                public DataValue find(String d, String p, String o, String c, String a) {
                    int row = AggregateStore.this.find(d, p, o, c, a);
                    return row < 0 ? null : read(row);
                }

                @Override
                public void put(DataValue value) {
                    upsert(value);
                }
            });
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- registrations

    public void putRegistration(Registration registration) {
        registrations.put(key(registration.dataSet(), registration.period(), registration.organisationUnit(),
                registration.attributeOptionCombo()), registration);
    }

    public Optional<Registration> getRegistration(String dataSet, String period, String orgUnit,
                                                  String attributeOptionCombo) {
        return Optional.ofNullable(registrations.get(key(dataSet, period, orgUnit, attributeOptionCombo)));
    }

    /** All registrations in a stable order (by key). */
    public List<Registration> registrations() {
        return List.copyOf(registrations.values());
    }

    public boolean removeRegistration(String dataSet, String period, String orgUnit, String attributeOptionCombo) {
        return registrations.remove(key(dataSet, period, orgUnit, attributeOptionCombo)) != null;
    }

    public int registrationCount() {
        return registrations.size();
    }

    private static String key(String dataSet, String period, String orgUnit, String aoc) {
        return dataSet + '|' + period + '|' + orgUnit + '|' + aoc;
    }

    // ---------------------------------------------------------------- internals (callers hold the lock)

    private int intern(String s) {
        Integer id = internIds.get(s);
        if (id == null) {
            id = interned.size();
            interned.add(s);
            internIds.put(s, id);
        }
        return id;
    }

    private String name(int id) {
        return id < 0 ? null : interned.get(id);
    }

    private int find(String d, String p, String o, String c, String a) {
        Integer di = internIds.get(d);
        Integer pi = internIds.get(p);
        Integer oi = internIds.get(o);
        Integer ci = internIds.get(c);
        Integer ai = internIds.get(a);
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

    private void upsert(DataValue v) {
        int d = intern(v.dataElement());
        int p = intern(v.period());
        int o = intern(v.orgUnit());
        int c = intern(v.categoryOptionCombo());
        int a = intern(v.attributeOptionCombo());
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
        storedBy[row] = v.storedBy() == null ? -1 : intern(v.storedBy());
        long now = System.currentTimeMillis();
        created[row] = v.created() == null ? now : v.created().toEpochMilli();
        lastUpdated[row] = v.lastUpdated() == null ? now : v.lastUpdated().toEpochMilli();
    }

    private void markDeleted(int row, long when) {
        flags[row] |= DELETED;
        lastUpdated[row] = when;
        deletedRows++;
    }

    private DataValue read(int r) {
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

    private void ensureCapacity(int needed) {
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
