package org.dhis2.sync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Aggregate data of one instance: data values keyed by (dataElement, period, orgUnit, categoryOptionCombo,
 * attributeOptionCombo) and complete data set registrations keyed by (dataSet, period, orgUnit, attributeOptionCombo).
 *
 * <p>Data values are kept column-wise with interned UIDs and an open-addressing index (about 70 bytes a value, so a
 * million values fit in well under 100 MB); rows are only appended, so iteration order (insertion order) is stable and
 * an export can walk the rows in chunks without holding the lock while it writes to the network. Values are never
 * removed: a delete is a soft delete, as in DHIS2. The values live in {@link AggregateValues} (locking, scans) over
 * {@link AggregateValueTable} (columns, index); this class is the instance's public face for them, the
 * registrations and the import test hooks.
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

    private final AggregateValues values;
    private final ConcurrentSkipListMap<String, Registration> registrations = new ConcurrentSkipListMap<>();
    private volatile java.time.Duration commitDelay = java.time.Duration.ZERO;
    private final java.util.Set<String> expiredPeriods = java.util.concurrent.ConcurrentHashMap.newKeySet();

    AggregateStore(Dhis2Instance instance) {
        this.values = new AggregateValues(instance);
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
        values.put(value);
    }

    /** Stores many values under one lock (generators). */
    public void putAll(Collection<DataValue> values) {
        this.values.putAll(values);
    }

    public Optional<DataValue> get(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                                   String attributeOptionCombo) {
        return values.get(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
    }

    /**
     * "A local user changed this value": creates or updates it (undeleting it), stored by the instance's user, with
     * {@code lastUpdated} = the server clock's next tick.
     */
    public DataValue setValue(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                              String attributeOptionCombo, String value) {
        return values.setValue(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, value);
    }

    /** Soft-deletes a value ({@code lastUpdated} = next clock tick); false when absent or already deleted. */
    public boolean delete(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                          String attributeOptionCombo) {
        return values.delete(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
    }

    /** Values that are not deleted. */
    public int count() {
        return values.count();
    }

    /** All stored values, soft-deleted ones included. */
    public int size() {
        return values.size();
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
        values.clear();
        registrations.clear(); // never guarded by the values' lock: a concurrent map
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
        values.scan(query, batchSize, sink);
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
        return values.write(work);
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
}
