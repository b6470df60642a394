package org.dhis2.sync.sandbox;

import static org.dhis2.sync.sandbox.TrackerValueMerge.mergeValues;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.dhis2.sync.sandbox.TrackerImportPayload.Obj;
import org.dhis2.sync.sandbox.TrackerImporter.Strategy;
import org.dhis2.sync.sandbox.TrackerStore.Item;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/**
 * Persistence of the valid objects of one tracker import, with the per-kind stats (created, updated, deleted,
 * ignored) and object reports that go into the bundle report.
 */
final class TrackerImportCommit {

    private final Dhis2Instance instance;
    private final Strategy strategy;
    private final TrackerImportPayload payload;
    private final TrackerImportFindings findings;
    private final TrackerRelationships relationships;
    private final TrackedEntityBump bump;
    /** Per kind: created, updated, deleted, ignored. */
    private final Map<Kind, int[]> stats = new EnumMap<>(Kind.class);
    private final Map<Kind, ArrayNode> reports = new EnumMap<>(Kind.class);

    TrackerImportCommit(Dhis2Instance instance, Strategy strategy, TrackerImportPayload payload,
                        TrackerImportFindings findings, TrackerRelationships relationships, TrackedEntityBump bump) {
        this.instance = instance;
        this.strategy = strategy;
        this.payload = payload;
        this.findings = findings;
        this.relationships = relationships;
        this.bump = bump;
        for (Kind k : Kind.values()) {
            stats.put(k, new int[4]);
            reports.put(k, SandboxJson.array());
        }
    }

    Map<Kind, int[]> stats() {
        return stats;
    }

    Map<Kind, ArrayNode> reports() {
        return reports;
    }

    /** Counts the objects not persisted (all of them when nothing was); returns how many. */
    int countIgnored(boolean persisted) {
        int ignored = 0;
        for (Kind k : TrackerImportPayload.ORDER) {
            for (Obj o : payload.of(k)) {
                if (!persisted || findings.skipped(o)) {
                    ignored++;
                    stats.get(k)[3]++;
                }
            }
        }
        return ignored;
    }

    /** Stores the valid objects, then moves the tracked entities they touched. */
    void persist(Instant stampedAt) {
        persistAll(stampedAt);
        bump.apply();
    }

    private void persistAll(Instant stampedAt) {
        TrackerStore store = instance.tracker();
        Kind[] order = TrackerImportPayload.ORDER;
        if (strategy == Strategy.DELETE) {
            order = new Kind[] {Kind.RELATIONSHIP, Kind.EVENT, Kind.ENROLLMENT, Kind.TRACKED_ENTITY};
        }
        for (Kind kind : order) {
            for (Obj o : payload.of(kind)) {
                if (findings.skipped(o)) {
                    continue;
                }
                bump.note(kind, store.get(kind, o.uid()).map(Item::body).orElse(o.body()));
                if (strategy == Strategy.DELETE) {
                    Item before = store.get(kind, o.uid()).orElse(null);
                    if (store.delete(kind, o.uid()) && kind == Kind.RELATIONSHIP) {
                        relationships.bumpOrigins(before);
                    }
                    stats.get(kind)[2]++;
                } else {
                    Item existing = store.get(kind, o.uid()).orElse(null);
                    Item stored = store.put(kind, o.uid(), merged(o, existing), stampedAt);
                    if (kind == Kind.RELATIONSHIP) {
                        relationships.bumpOrigins(stored);
                    }
                    if (kind == Kind.ENROLLMENT && o.body().path("attributes").size() > 0) {
                        mergeEnrollmentAttributes(o);
                    }
                    stats.get(kind)[existing == null ? 0 : 1]++;
                }
                ObjectNode objectReport = SandboxJson.object().put("trackerType", kind.name()).put("uid", o.uid());
                if (!instance.version().atLeast(41)) { // Entity.index went in 2.41 (core@2.41.8.2 imports/report)
                    objectReport.put("index", o.index());
                }
                reports.get(kind).add(objectReport.set("errorReports", SandboxJson.array()));
            }
        }
    }

    /** DHIS2 merges attribute values (TE) and data values (event) into the existing ones on update. */
    private ObjectNode merged(Obj o, Item existing) {
        ObjectNode body = o.body().deepCopy();
        String now = Dhis2Dates.tracker(instance.clock().instant());
        if (o.kind() == Kind.EVENT) {
            body.set("dataValues", mergeValues(existing == null ? null : existing.body().path("dataValues"),
                    body.path("dataValues"), "dataElement", now));
        } else if (o.kind() == Kind.TRACKED_ENTITY) {
            body.set("attributes", mergeValues(existing == null ? null : existing.body().path("attributes"),
                    body.path("attributes"), "attribute", now));
        } else if (o.kind() == Kind.ENROLLMENT) {
            body.remove("attributes"); // stored on the tracked entity, as DHIS2 does
            if (!body.has("followUp") && existing == null) {
                body.put("followUp", false);
            }
        }
        if (existing != null) {
            ObjectNode base = existing.body().deepCopy();
            base.setAll(body);
            return base;
        }
        return body;
    }

    private void mergeEnrollmentAttributes(Obj enrollment) {
        String te = enrollment.body().path("trackedEntity").asText();
        instance.tracker().get(Kind.TRACKED_ENTITY, te).ifPresent(item -> {
            ObjectNode body = item.body().deepCopy();
            body.set("attributes", mergeValues(item.body().path("attributes"), enrollment.body().path("attributes"),
                    "attribute", Dhis2Dates.tracker(instance.clock().instant())));
            instance.tracker().put(Kind.TRACKED_ENTITY, te, body);
        });
    }
}
