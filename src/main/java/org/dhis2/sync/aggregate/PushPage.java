package org.dhis2.sync.aggregate;

import java.util.List;

/** A page of items for one aggregate import POST to central, numbered from 1. */
public interface PushPage<T> {

    int number();

    List<T> items();

    /** True when a conflict that carries no indexes is about this item. */
    boolean involves(T item, ImportJudgement.Conflict conflict);

    /**
     * How precisely a conflict without indexes names an item it {@link #involves}: the more of the item's
     * references its message names, the higher. Only the items that score highest are tied to the conflict.
     */
    default int specificity(T item, ImportJudgement.Conflict conflict) {
        return 1;
    }

    /** The POST body. */
    byte[] toJson();

    /** The oldest change in the page on the local server's clock; {@code Long.MAX_VALUE} when items carry none. */
    default long oldestLastUpdated() {
        return Long.MAX_VALUE;
    }

    /** True when some item has no change time: the page cannot be placed in the window, so it holds it all back. */
    default boolean hasUndated() {
        return false;
    }
}
