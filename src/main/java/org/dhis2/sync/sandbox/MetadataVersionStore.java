package org.dhis2.sync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Metadata versions of an emulated instance, in creation order. Thread-safe (one lock; versions are few).
 * DHIS2 does not define the order of {@code /history}; {@link #setHistoryOrder} lets tests make it hostile.
 */
public final class MetadataVersionStore {

    /** Order in which {@code /history} and {@code /versions} list versions. */
    public enum HistoryOrder { CREATION, SHUFFLED }

    private final Dhis2Instance instance;
    private final List<MetadataVersion> versions = new ArrayList<>();
    private volatile HistoryOrder historyOrder = HistoryOrder.CREATION;
    private volatile boolean enabled = true;
    private final Random shuffler = new Random(7);
    /** Snapshots kept in the datastore without a version entry (DHIS2's sync saves before it imports). */
    private final java.util.Map<String, String> savedSnapshots = new java.util.HashMap<>();

    MetadataVersionStore(Dhis2Instance instance) {
        this.instance = instance;
    }

    /** Name of the instance's current (newest) metadata version, if any. */
    public Optional<String> currentVersionName() {
        return current().map(MetadataVersion::name);
    }

    public synchronized Optional<MetadataVersion> current() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    public synchronized Optional<MetadataVersion> get(String name) {
        return versions.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** All versions in creation order. */
    public synchronized List<MetadataVersion> list() {
        return List.copyOf(versions);
    }

    /** The versions as the listing endpoints return them (creation order, or shuffled when so configured). */
    synchronized List<MetadataVersion> listForHistory(List<MetadataVersion> selected) {
        List<MetadataVersion> copy = new ArrayList<>(selected);
        if (historyOrder == HistoryOrder.SHUFFLED) {
            Collections.shuffle(copy, shuffler);
        }
        return copy;
    }

    public void setHistoryOrder(HistoryOrder order) {
        this.historyOrder = order;
    }

    public HistoryOrder historyOrder() {
        return historyOrder;
    }

    /** System setting keyVersionEnabled: when off every version endpoint answers 400. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Creates the next version from the catalog as DHIS2 does: a full export for the first version, else the
     * objects with {@code lastUpdated >= created} of the previous version (a delta).
     */
    public synchronized MetadataVersion create(MetadataVersion.Type type) {
        Instant since = current().map(MetadataVersion::created).orElse(null);
        Instant created = instance.clock().tick();
        String snapshot = MetadataSnapshots.export(instance, since, created);
        return add(type, snapshot, MetadataVersion.md5(snapshot), created);
    }

    /** Adds a version with a given snapshot and advertised hash (may be wrong on purpose). */
    public synchronized MetadataVersion add(MetadataVersion.Type type, String snapshot, String hashCode) {
        return add(type, snapshot, hashCode, instance.clock().tick());
    }

    /** Adds a version whose hashCode is the snapshot's real MD5. */
    public MetadataVersion add(MetadataVersion.Type type, String snapshot) {
        return add(type, snapshot, MetadataVersion.md5(snapshot));
    }

    private MetadataVersion add(MetadataVersion.Type type, String snapshot, String hashCode, Instant created) {
        MetadataVersion v = new MetadataVersion(Uids.random(), "Version_" + nextNumber(), type, created, created,
                hashCode, null, snapshot);
        versions.add(v);
        return v;
    }

    /** Records a version another instance created as imported here (same id, name, hash, snapshot). */
    public synchronized MetadataVersion recordImported(MetadataVersion remote) {
        MetadataVersion v = remote.withImportDate(instance.clock().tick());
        versions.removeIf(existing -> existing.name().equals(v.name()));
        versions.add(v);
        // DHIS2's current version is the newest by created, whatever order versions were imported in
        versions.sort(java.util.Comparator.comparing(MetadataVersion::created));
        return v;
    }

    /** Marks one of this instance's own versions as imported now. */
    public synchronized MetadataVersion markImported(String name) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).name().equals(name)) {
                MetadataVersion v = versions.get(i).withImportDate(instance.clock().tick());
                versions.set(i, v);
                return v;
            }
        }
        throw new IllegalArgumentException("no metadata version " + name);
    }

    public synchronized void clear() {
        versions.clear();
        savedSnapshots.clear();
    }

    /** A snapshot saved by an earlier sync of {@code name} (DefaultMetadataSyncService.saveMetadataVersionSnapshotLocally). */
    synchronized Optional<String> savedSnapshot(String name) {
        return Optional.ofNullable(savedSnapshots.get(name));
    }

    synchronized void saveSnapshot(String name, String snapshot) {
        savedSnapshots.putIfAbsent(name, snapshot);
    }

    /** The snapshot {@code /data} serves: the version's, else one a sync saved (both live in DHIS2's datastore). */
    synchronized Optional<String> snapshot(String name) {
        return get(name).map(MetadataVersion::snapshot).filter(s -> s != null).or(() -> savedSnapshot(name));
    }

    /** Like DHIS2's MetadataVersionNameGenerator: the number after "_" of the newest version, plus one. */
    private int nextNumber() {
        return current().map(v -> {
            String name = v.name();
            try {
                return Integer.parseInt(name.substring(name.lastIndexOf('_') + 1)) + 1;
            } catch (NumberFormatException e) {
                return versions.size() + 1;
            }
        }).orElse(1);
    }
}
