package org.dhis2.sync.aggregate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which items of a page central's conflicts reject: the part of judging an answer that needs no bookkeeping. */
final class RejectedItems {

    private RejectedItems() {
    }

    /**
     * Item index → the conflict that rejected it; null when a conflict cannot be tied to any item of the page, or
     * when the conflicts would reject more items than central counted as ignored ({@code importCount.ignored}):
     * then the answer cannot tell which items were rejected, and the page is not settled. A conflict with
     * {@code indexes} (2.38+) names its items; one without (older DHIS2) is tied to the items it names most
     * precisely ({@link PushPage#specificity}).
     */
    static <T> Map<Integer, ImportJudgement.Conflict> of(PushPage<T> page, ImportJudgement j) {
        List<T> pageItems = page.items();
        Map<Integer, ImportJudgement.Conflict> rejected = new HashMap<>();
        for (ImportJudgement.Conflict c : j.conflicts()) {
            Set<Integer> hits = new HashSet<>();
            if (!c.indexes().isEmpty()) {
                for (int i : c.indexes()) {
                    if (i >= 0 && i < pageItems.size()) {
                        hits.add(i);
                    }
                }
            } else {
                int best = Integer.MIN_VALUE;
                for (int i = 0; i < pageItems.size(); i++) {
                    if (!page.involves(pageItems.get(i), c)) {
                        continue;
                    }
                    int score = page.specificity(pageItems.get(i), c);
                    if (score > best) {
                        best = score;
                        hits.clear();
                    }
                    if (score == best) {
                        hits.add(i);
                    }
                }
            }
            if (hits.isEmpty()) {
                return null;
            }
            hits.forEach(i -> rejected.putIfAbsent(i, c));
        }
        return rejected.size() > j.ignored() ? null : rejected;
    }
}
