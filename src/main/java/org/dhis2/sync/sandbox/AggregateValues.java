package org.dhis2.sync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dhis2.sync.sandbox.AggregateStore.DataValue;

/**
 * The data values of one instance behind a read/write lock: single operations, imports that run under the write
 * lock, and exports that walk the rows in batches without holding the lock while they write to the network.
 */
final class AggregateValues {

    private final Dhis2Instance instance;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AggregateValueTable table = new AggregateValueTable();

    AggregateValues(Dhis2Instance instance) {
        this.instance = instance;
    }

    void put(DataValue value) {
        lock.writeLock().lock();
        try {
            table.upsert(value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    void putAll(Collection<DataValue> values) {
        lock.writeLock().lock();
        try {
            table.ensureCapacity(table.rows() + values.size());
            values.forEach(table::upsert);
        } finally {
            lock.writeLock().unlock();
        }
    }

    Optional<DataValue> get(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                            String attributeOptionCombo) {
        lock.readLock().lock();
        try {
            int row = table.find(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
            return row < 0 ? Optional.empty() : Optional.of(table.read(row));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** See {@link AggregateStore#setValue}. */
    DataValue setValue(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                       String attributeOptionCombo, String value) {
        lock.writeLock().lock();
        try {
            Instant now = instance.clock().tick();
            int row = table.find(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
            DataValue old = row < 0 ? null : table.read(row);
            DataValue updated = old == null
                    ? new DataValue(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, value,
                            null, false, instance.username(), now, now, false)
                    : new DataValue(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, value,
                            old.comment(), old.followup(), instance.username(), old.created(), now, false);
            table.upsert(updated);
            return updated;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** See {@link AggregateStore#delete}. */
    boolean delete(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                   String attributeOptionCombo) {
        lock.writeLock().lock();
        try {
            int row = table.find(dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo);
            if (row < 0 || table.isDeleted(row)) {
                return false;
            }
            table.markDeleted(row, instance.clock().tick().toEpochMilli());
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Values that are not deleted. */
    int count() {
        lock.readLock().lock();
        try {
            return table.rows() - table.deletedRows();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** All stored values, soft-deleted ones included. */
    int size() {
        lock.readLock().lock();
        try {
            return table.rows();
        } finally {
            lock.readLock().unlock();
        }
    }

    void clear() {
        lock.writeLock().lock();
        try {
            table.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Walks the matching values in stable order, handing them over in batches; the lock is held only while a batch
     * is collected, never while the sink writes.
     */
    void scan(AggregateStore.Query query, int batchSize, Consumer<List<DataValue>> sink) {
        int cursor = 0;
        int remaining = query.limit;
        AggregateValueFilter filter;
        lock.readLock().lock();
        try {
            filter = table.filter(query);
        } finally {
            lock.readLock().unlock();
        }
        while (remaining > 0) {
            List<DataValue> batch = new ArrayList<>(Math.min(batchSize, remaining));
            lock.readLock().lock();
            try {
                int end = table.rows();
                cursor = table.collect(filter, cursor, end, Math.min(batchSize, remaining), batch);
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

    /** Runs an import atomically with respect to other writers and readers' batches. */
    <T> T write(Function<AggregateStore.Writer, T> work) {
        lock.writeLock().lock();
        try {
            return work.apply(new AggregateStore.Writer() {
                @Override
                public DataValue find(String d, String p, String o, String c, String a) {
                    int row = table.find(d, p, o, c, a);
                    return row < 0 ? null : table.read(row);
                }

                @Override
                public void put(DataValue value) {
                    table.upsert(value);
                }
            });
        } finally {
            lock.writeLock().unlock();
        }
    }
}
