package org.dhis2.sync.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the reserved value pools (job RESERVED_VALUES and the hand-out), {@code sync.reservedValues.*}.
 *
 * @param threshold            a pool is filled when it has fewer values (Android SDK: 50)
 * @param limit                a fill asks central for enough to reach this many (Android SDK: 100; at most 1000)
 * @param attributes           attributes to keep pools for; empty = every generated attribute of a tracker program
 * @param orgUnits             org unit codes to keep ORG_UNIT_CODE pools for; empty = every org unit of the program
 * @param clients              hand-out-only credentials, user → password
 * @param handoutFillWaitMillis how long a hand-out waits for a fill of the same pool already in progress
 */
public record ReservedValueSettings(int threshold, int limit, List<String> attributes, List<String> orgUnits,
                                    Map<String, String> clients, int handoutFillWaitMillis) {

    /** sync.reservedValues.*: the limit must reach the threshold; clients are user:password pairs. */
    static ReservedValueSettings read(SettingsChecker c) {
        int threshold = c.integer("sync.reservedValues.threshold", 1, 1000);
        int limit = c.integer("sync.reservedValues.limit", 1, 1000);
        if (limit < threshold) {
            c.problem("sync.reservedValues.limit", "must be at least sync.reservedValues.threshold (" + threshold + ")");
        }
        Map<String, String> clients = new LinkedHashMap<>();
        for (String pair : c.secret("sync.reservedValues.clients").split(",")) {
            String entry = pair.trim();
            int colon = entry.indexOf(':');
            if (entry.isEmpty()) {
                continue;
            }
            if (colon < 1 || colon == entry.length() - 1) {
                // the entry is not echoed: it may hold a password
                c.problem("sync.reservedValues.clients", "has an entry that is not user:password (entry "
                        + (clients.size() + 1) + ")");
            } else {
                clients.put(entry.substring(0, colon), entry.substring(colon + 1));
            }
        }
        List<String> orgUnits = new ArrayList<>();
        for (String code : c.text("sync.reservedValues.orgUnits").split(",")) {
            if (!code.isBlank()) {
                orgUnits.add(code.trim());
            }
        }
        return new ReservedValueSettings(threshold, limit, c.uids("sync.reservedValues.attributes"),
                List.copyOf(orgUnits), Map.copyOf(clients),
                c.integer("sync.reservedValues.handoutFillWaitMillis", 0, 600_000));
    }

    @Override
    public String toString() {
        return "ReservedValueSettings[threshold=" + threshold + ", limit=" + limit + ", attributes=" + attributes
                + ", orgUnits=" + orgUnits + ", clients=" + clients.keySet() + "/***]";
    }
}
