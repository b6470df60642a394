package org.dhis2.sync.sandbox;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense int ids for the UIDs, periods and usernames of the aggregate value table, so a row holds ints instead of
 * Strings. Ids are never given back (the table only grows). Not thread-safe: callers hold the store's lock.
 */
final class StringInterner {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    int intern(String s) {
        Integer id = ids.get(s);
        if (id == null) {
            id = names.size();
            names.add(s);
            ids.put(s, id);
        }
        return id;
    }

    /** The id of a string seen before, or null. */
    Integer id(String s) {
        return ids.get(s);
    }

    /** The string of an id; null for -1 (no string). */
    String name(int id) {
        return id < 0 ? null : names.get(id);
    }

    /** The ids of the given strings that were seen before; null for a null collection ("any"). */
    BitSet bits(Collection<String> strings) {
        if (strings == null) {
            return null;
        }
        BitSet set = new BitSet();
        for (String s : strings) {
            Integer id = ids.get(s);
            if (id != null) {
                set.set(id);
            }
        }
        return set;
    }
}
