package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metadata an instance holds, by DHIS2 collection name ({@code organisationUnits}, {@code dataSets},
 * {@code dataElements}, {@code categoryOptionCombos}, {@code programs}, {@code programStages},
 * {@code trackedEntityAttributes}, {@code trackedEntityTypes}, ...) and UID. Objects are kept in DHIS2's JSON
 * shape; imports validate references against this catalog.
 */
public final class MetadataCatalog {

    private final Map<String, Map<String, ObjectNode>> byType = new ConcurrentHashMap<>();
    private final SandboxClock clock;

    public MetadataCatalog(SandboxClock clock) {
        this.clock = clock;
    }

    /** Creates or replaces an object (needs {@code id}); stamps {@code created} (once) and {@code lastUpdated}. */
    public ObjectNode put(String type, ObjectNode object) {
        String id = object.path("id").asText(null);
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("metadata object of type " + type + " without id: " + object);
        }
        String now = Dhis2Dates.tracker(clock.tick());
        if (!object.hasNonNull("created")) {
            object.put("created", now);
        }
        object.put("lastUpdated", now);
        byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).put(id, object);
        return object;
    }

    public Optional<ObjectNode> get(String type, String uid) {
        return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(uid));
    }

    public boolean exists(String type, String uid) {
        return uid != null && byType.getOrDefault(type, Map.of()).containsKey(uid);
    }

    public boolean remove(String type, String uid) {
        return byType.getOrDefault(type, Map.of()).remove(uid) != null;
    }

    /** All objects of a type, ordered by UID (stable for paging). */
    public List<ObjectNode> list(String type) {
        return byType.getOrDefault(type, Map.of()).values().stream()
                .sorted(Comparator.comparing(o -> o.path("id").asText()))
                .toList();
    }

    public Set<String> types() {
        return Set.copyOf(byType.keySet());
    }

    public int size(String type) {
        return byType.getOrDefault(type, Map.of()).size();
    }
}
