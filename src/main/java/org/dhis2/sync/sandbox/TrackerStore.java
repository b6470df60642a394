package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * Tracker data of one instance: tracked entities, enrollments, events and relationships by UID, kept in the new
 * ({@code /api/tracker}) field names. Every write stamps {@code updatedAt} from the server clock; deletes are soft,
 * as in DHIS2. Each kind keeps an index ordered by (updatedAt, uid) so that change-window queries and paging are
 * cheap and stable. Writes take a write lock; queries collect item references under a read lock and serialize
 * after releasing it.
 */
public final class TrackerStore {

    /** The four tracker object kinds, with their UID field name and the type name DHIS2 reports. */
    public enum Kind {
        TRACKED_ENTITY("trackedEntity"), ENROLLMENT("enrollment"), EVENT("event"), RELATIONSHIP("relationship");

        private final String idField;

        Kind(String idField) {
            this.idField = idField;
        }

        /** The UID property in the new format ({@code trackedEntity}, {@code enrollment}, ...). */
        public String idField() {
            return idField;
        }
    }

    /**
     * One stored object. {@code body} holds the new-format properties except the UID, timestamps, deleted flag and
     * nested children; it is never mutated after the item is stored (writers store a fresh copy).
     */
    public record Item(Kind kind, String uid, ObjectNode body, Instant createdAt, Instant updatedAt, boolean deleted) {

        public String text(String field) {
            return body.path(field).asText(null);
        }

        /** The object as the new API exports it, without nested children. */
        public ObjectNode toJson() {
            ObjectNode node = SandboxJson.object();
            node.put(kind.idField(), uid);
            node.setAll(body.deepCopy());
            node.put("createdAt", Dhis2Dates.tracker(createdAt));
            node.put("updatedAt", Dhis2Dates.tracker(updatedAt));
            node.put("deleted", deleted);
            return node;
        }
    }

    /** A page of a query: the items, whether more follow, and the total (-1 unless asked for). */
    public record Slice(List<Item> items, boolean hasMore, long total) {
    }

    private record Key(Instant updatedAt, String uid) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::updatedAt).thenComparing(Key::uid);

    private final Dhis2Instance instance;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Kind, Map<String, Item>> items = new EnumMap<>(Kind.class);
    private final Map<Kind, NavigableSet<Key>> index = new EnumMap<>(Kind.class);
    private final Map<String, Set<String>> enrollmentsByTrackedEntity = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> eventsByEnrollment = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> relationshipsByEndpoint = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> jobReports = new ConcurrentHashMap<>();

    TrackerStore(Dhis2Instance instance) {
        this.instance = instance;
        for (Kind kind : Kind.values()) {
            items.put(kind, new ConcurrentHashMap<>());
            index.put(kind, new TreeSet<>(ORDER));
        }
    }

    public Optional<Item> get(Kind kind, String uid) {
        return uid == null ? Optional.empty() : Optional.ofNullable(items.get(kind).get(uid));
    }

    /** Number of stored objects of a kind, deleted ones included or not. */
    public int count(Kind kind, boolean includeDeleted) {
        if (includeDeleted) {
            return items.get(kind).size();
        }
        return (int) items.get(kind).values().stream().filter(i -> !i.deleted()).count();
    }

    /** Creates or replaces an object (undeleting it); returns the stored item. */
    public Item put(Kind kind, String uid, ObjectNode body) {
        return put(kind, uid, body, null);
    }

    /**
     * As {@link #put(Kind, String, ObjectNode)}, stamped {@code updatedAt} (null: now): an import that took its
     * time before committing.
     */
    public Item put(Kind kind, String uid, ObjectNode body, Instant updatedAt) {
        ObjectNode copy = body.deepCopy();
        for (String f : List.of(kind.idField(), "createdAt", "updatedAt", "deleted", "enrollments", "events",
                "relationships", "programOwners")) {
            copy.remove(f);
        }
        lock.writeLock().lock();
        try {
            Item old = items.get(kind).get(uid);
            Instant now = updatedAt != null ? updatedAt : instance.clock().tick();
            Item item = new Item(kind, uid, copy, old == null ? now : old.createdAt(), now, false);
            store(old, item);
            return item;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** "A change on this instance": bumps updatedAt of an existing object, as any edit in DHIS2 would. */
    public Item touch(Kind kind, String uid) {
        lock.writeLock().lock();
        try {
            Item old = require(kind, uid);
            Item item = new Item(kind, uid, old.body(), old.createdAt(), instance.clock().tick(), old.deleted());
            store(old, item);
            return item;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Soft-deletes an object; a tracked entity takes its enrollments, their events and its relationships along,
     * an enrollment its events (DHIS2's cascade). Returns false when it was unknown or already deleted.
     */
    public boolean delete(Kind kind, String uid) {
        lock.writeLock().lock();
        try {
            Item old = items.get(kind).get(uid);
            if (old == null || old.deleted()) {
                return false;
            }
            markDeleted(old);
            if (kind == Kind.TRACKED_ENTITY) {
                for (String e : enrollmentsByTrackedEntity.getOrDefault(uid, Set.of())) {
                    delete(Kind.ENROLLMENT, e);
                }
            }
            if (kind == Kind.ENROLLMENT) {
                for (String ev : eventsByEnrollment.getOrDefault(uid, Set.of())) {
                    delete(Kind.EVENT, ev);
                }
            }
            if (kind != Kind.RELATIONSHIP) {
                for (String r : relationshipsByEndpoint.getOrDefault(uid, Set.of())) {
                    delete(Kind.RELATIONSHIP, r);
                }
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Children of a tracked entity (enrollments, relationships) or of an enrollment (events), in UID order. */
    public List<Item> children(Kind childKind, String parentUid) {
        Map<String, Set<String>> links = switch (childKind) {
            case ENROLLMENT -> enrollmentsByTrackedEntity;
            case EVENT -> eventsByEnrollment;
            case RELATIONSHIP -> relationshipsByEndpoint;
            case TRACKED_ENTITY -> Map.of();
        };
        lock.readLock().lock();
        try {
            List<Item> result = new ArrayList<>();
            for (String uid : links.getOrDefault(parentUid, Set.of())) {
                Item item = items.get(childKind).get(uid);
                if (item != null) {
                    result.add(item);
                }
            }
            result.sort(Comparator.comparing(Item::uid));
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Objects of a kind with {@code from <= updatedAt <= to} (either bound may be null) that pass the filter,
     * ordered by (updatedAt, uid), ascending or descending; {@code offset}/{@code limit} cut a page
     * ({@code limit < 0}: all). Deleted objects are the filter's business.
     */
    public Slice query(Kind kind, Instant from, Instant to, Predicate<Item> filter, boolean descending,
                       long offset, int limit, boolean countTotal) {
        lock.readLock().lock();
        try {
            NavigableSet<Key> keys = index.get(kind);
            if (from != null || to != null) {
                Key lo = new Key(from == null ? Instant.MIN : from, "");
                Key hi = new Key(to == null ? Instant.MAX : to, "\uffff");
                keys = keys.subSet(lo, true, hi, true);
            }
            Iterator<Key> it = descending ? keys.descendingIterator() : keys.iterator();
            List<Item> page = new ArrayList<>();
            long matched = 0;
            boolean hasMore = false;
            while (it.hasNext()) {
                Item item = items.get(kind).get(it.next().uid());
                if (item == null || !filter.test(item)) {
                    continue;
                }
                if (matched >= offset && (limit < 0 || page.size() < limit)) {
                    page.add(item);
                } else if (matched >= offset) {
                    hasMore = true;
                    if (!countTotal) {
                        break;
                    }
                }
                matched++;
            }
            return new Slice(page, hasMore, countTotal ? matched : -1);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Keeps the ImportReport of an async {@code POST /api/tracker} for {@code /api/tracker/jobs/{id}/report}. */
    void saveJobReport(String jobId, ObjectNode report) {
        jobReports.put(jobId, report);
    }

    Optional<ObjectNode> jobReport(String jobId) {
        return Optional.ofNullable(jobReports.get(jobId));
    }

    /** Removes everything (tests). */
    public void clear() {
        lock.writeLock().lock();
        try {
            items.values().forEach(Map::clear);
            index.values().forEach(Set::clear);
            enrollmentsByTrackedEntity.clear();
            eventsByEnrollment.clear();
            relationshipsByEndpoint.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Item require(Kind kind, String uid) {
        Item item = items.get(kind).get(uid);
        if (item == null) {
            throw new IllegalArgumentException(kind + " " + uid + " does not exist");
        }
        return item;
    }

    private void markDeleted(Item old) {
        store(old, new Item(old.kind(), old.uid(), old.body(), old.createdAt(), instance.clock().tick(), true));
    }

    private void store(Item old, Item item) {
        if (old != null) {
            index.get(item.kind()).remove(new Key(old.updatedAt(), old.uid()));
        }
        items.get(item.kind()).put(item.uid(), item);
        index.get(item.kind()).add(new Key(item.updatedAt(), item.uid()));
        switch (item.kind()) {
            case ENROLLMENT -> link(enrollmentsByTrackedEntity, item.text("trackedEntity"), item.uid());
            case EVENT -> link(eventsByEnrollment, item.text("enrollment"), item.uid());
            case RELATIONSHIP -> {
                link(relationshipsByEndpoint, TrackerFormats.relationshipEnd(item.body().path("from")), item.uid());
                link(relationshipsByEndpoint, TrackerFormats.relationshipEnd(item.body().path("to")), item.uid());
            }
            default -> {
            }
        }
    }

    private static void link(Map<String, Set<String>> links, String parent, String child) {
        if (parent != null) {
            links.computeIfAbsent(parent, p -> java.util.Collections.synchronizedSet(new LinkedHashSet<>()))
                    .add(child);
        }
    }
}
