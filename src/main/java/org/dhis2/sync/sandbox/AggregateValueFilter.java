package org.dhis2.sync.sandbox;

import java.util.BitSet;
import java.util.function.Predicate;

/**
 * An export's {@link AggregateStore.Query} resolved to interned ids once, so a scan compares ints per row; a
 * period filter is asked once per period. Lives for one scan.
 */
final class AggregateValueFilter {

    private final BitSet des;
    private final BitSet ous;
    private final BitSet aocs;
    private final BitSet pes;
    private final Predicate<String> periodFilter;
    private final long lastUpdatedFrom;
    private final boolean includeDeleted;
    private final StringInterner interner;
    private final BitSet peChecked = new BitSet();
    private final BitSet periodOk = new BitSet();

    /** Resolves the query; the caller holds the store's lock (the interner is not thread-safe). */
    AggregateValueFilter(AggregateStore.Query query, StringInterner interner) {
        this.des = interner.bits(query.dataElements);
        this.ous = interner.bits(query.orgUnits);
        this.aocs = interner.bits(query.attributeOptionCombos);
        this.pes = interner.bits(query.periods);
        this.periodFilter = query.periodFilter;
        this.lastUpdatedFrom = query.lastUpdatedFrom;
        this.includeDeleted = query.includeDeleted;
        this.interner = interner;
    }

    /** Whether a row with these ids matches; the caller holds the store's lock. */
    boolean accepts(int de, int ou, int aoc, int pe, long lastUpdated, boolean deleted) {
        if ((des != null && !des.get(de)) || (ous != null && !ous.get(ou))
                || (aocs != null && !aocs.get(aoc)) || (pes != null && !pes.get(pe))
                || lastUpdated < lastUpdatedFrom
                || (!includeDeleted && deleted)) {
            return false;
        }
        if (periodFilter != null) {
            if (!peChecked.get(pe)) {
                peChecked.set(pe);
                periodOk.set(pe, periodFilter.test(interner.name(pe)));
            }
            return periodOk.get(pe);
        }
        return true;
    }
}
