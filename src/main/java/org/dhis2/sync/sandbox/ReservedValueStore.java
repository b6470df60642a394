package org.dhis2.sync.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reserved values per tracked entity attribute. A value is never handed out twice while reserved; SEQUENTIAL
 * counters never go back. Thread-safe (one lock: reservations are small and quick).
 */
public final class ReservedValueStore {

    /** One reserved value, in DHIS2's ReservedValue JSON shape. */
    public record ReservedValue(String ownerUid, String key, String value, Instant created, Instant expiryDate) {
    }

    private final Dhis2Instance instance;
    /** attribute UID → value → reservation */
    private final Map<String, Map<String, ReservedValue>> byAttribute = new HashMap<>();
    /** attribute UID + key → next SEQUENTIAL index */
    private final Map<String, Long> sequences = new HashMap<>();
    private final Random random = new Random();

    ReservedValueStore(Dhis2Instance instance) {
        this.instance = instance;
    }

    /**
     * Reserves {@code count} new values of the attribute's pattern for {@code expiration}; 409 when the pattern
     * has no (or not enough) values left, as DHIS2's ReserveValueException.
     */
    public synchronized List<ReservedValue> reserve(String attributeUid, ReservedValuePattern pattern, int count,
                                                    Duration expiration, String orgUnitCode) {
        Instant now = instance.clock().instant();
        purgeExpired(now);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String key = pattern.key(orgUnitCode, today);
        Map<String, ReservedValue> reserved = byAttribute.computeIfAbsent(attributeUid, a -> new LinkedHashMap<>());
        String sequenceKey = attributeUid + "|" + key;
        long capacity = pattern.capacity();
        if (pattern.sequential()) {
            // ValueGeneratorService: the counter's next numbers; one of them past the segment's digits → 409
            if (sequences.getOrDefault(sequenceKey, 0L) + count > capacity) {
                throw Dhis2Exception.conflict("Unable to reserve value, no new values available.", null);
            }
        } else if (capacity < count + reserved.values().stream().filter(v -> v.key().equals(key)).count()) {
            // DefaultReservedValueService.checkIfEnoughValues: total values >= wanted + reserved with this key
            throw Dhis2Exception.conflict("Not enough values left to reserve " + count + " values.", null);
        }
        List<ReservedValue> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String value = pattern.sequential()
                    ? nextSequential(pattern, sequenceKey, capacity, reserved, orgUnitCode, today)
                    : nextRandom(pattern, capacity, reserved, orgUnitCode, today);
            if (value == null) {
                break;
            }
            ReservedValue rv = new ReservedValue(attributeUid, key, value, now, now.plus(expiration));
            reserved.put(value, rv);
            result.add(rv);
        }
        if (result.isEmpty()) {
            throw Dhis2Exception.conflict(
                    "Unable to reserve id. This may indicate that there are too few available ids left.", null);
        }
        return result;
    }

    /** A random free value: a random index, then linear probing, so even a nearly full pattern terminates. */
    private String nextRandom(ReservedValuePattern pattern, long capacity, Map<String, ReservedValue> reserved,
                              String orgUnitCode, LocalDate today) {
        long start = Math.floorMod(random.nextLong(), capacity);
        for (long step = 0; step < capacity; step++) {
            String value = pattern.value(orgUnitCode, today, (start + step) % capacity);
            if (!reserved.containsKey(value)) {
                return value;
            }
        }
        return null;
    }

    private String nextSequential(ReservedValuePattern pattern, String sequenceKey, long capacity,
                                  Map<String, ReservedValue> reserved, String orgUnitCode, LocalDate today) {
        long next = sequences.getOrDefault(sequenceKey, 0L);
        while (next < capacity) {
            String value = pattern.value(orgUnitCode, today, next++);
            sequences.put(sequenceKey, next);
            if (!reserved.containsKey(value)) {
                return value;
            }
        }
        return null;
    }

    private void purgeExpired(Instant now) {
        byAttribute.values().forEach(values -> values.values().removeIf(v -> v.expiryDate().isBefore(now)));
    }

    /** Values currently reserved for an attribute (tests). */
    public synchronized List<ReservedValue> reserved(String attributeUid) {
        purgeExpired(instance.clock().instant());
        return List.copyOf(byAttribute.getOrDefault(attributeUid, Map.of()).values());
    }

    public synchronized void clear() {
        byAttribute.clear();
        sequences.clear();
    }
}
