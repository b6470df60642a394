package org.dhis2.sync.config;

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

    @Override
    public String toString() {
        return "ReservedValueSettings[threshold=" + threshold + ", limit=" + limit + ", attributes=" + attributes
                + ", orgUnits=" + orgUnits + ", clients=" + clients.keySet() + "/***]";
    }
}
