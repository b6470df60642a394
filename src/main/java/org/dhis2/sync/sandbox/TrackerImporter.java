package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;

/**
 * The new tracker importer ({@code POST /api/tracker}, reference §2.5): flat or nested body, importStrategy,
 * atomicMode, validation with DHIS2's error codes (E1xxx / E4xxx, E5000 for dependents of an invalid object),
 * then persistence and the ImportReport of the instance's version. This class runs the phases; each lives in its
 * own class (payload, validator, findings, commit, report).
 */
final class TrackerImporter {

    enum Strategy { CREATE, UPDATE, CREATE_AND_UPDATE, DELETE }

    private final Dhis2Instance instance;
    private final TrackerRefs refs;
    private final Strategy strategy;
    private final boolean atomicAll;
    private final String reportMode;
    private final TrackerImportPayload payload = new TrackerImportPayload();
    private final TrackerImportFindings findings = new TrackerImportFindings();
    private final TrackedEntityBump bump;
    private final TrackerRelationships relationships;

    TrackerImporter(Dhis2Instance instance, SandboxRequest request) {
        this.instance = instance;
        this.refs = new TrackerRefs(instance.catalog());
        this.bump = new TrackedEntityBump(instance.tracker());
        this.strategy = enumParam(request, "importStrategy", Strategy.class, Strategy.CREATE_AND_UPDATE);
        this.atomicAll = !"OBJECT".equalsIgnoreCase(request.param("atomicMode", "ALL"));
        this.reportMode = request.param("reportMode", "ERRORS").toUpperCase();
        this.relationships = new TrackerRelationships(instance);
    }

    /** Imports the body and returns the ImportReport (without HTTP envelope; the caller sets 409 on ERROR). */
    ObjectNode run(InputStream body) {
        long start = System.nanoTime();
        java.time.Duration commitDelay = instance.faults().trackerCommitDelay();
        java.time.Instant stampedAt = commitDelay.isZero() ? null : instance.clock().tick();
        payload.read(body);
        long parsed = System.nanoTime();
        new TrackerImportValidator(instance, refs, strategy, payload, findings, relationships).validateAll();
        long validated = System.nanoTime();
        boolean persist = !(atomicAll && findings.hasErrors());
        TrackerImportCommit commit = new TrackerImportCommit(instance, strategy, payload, findings, relationships,
                bump);
        int total = payload.total();
        if (persist) {
            if (stampedAt != null) {
                sleep(commitDelay);
            }
            commit.persist(stampedAt);
        }
        int ignored = commit.countIgnored(persist);
        return TrackerImportReport.build(instance, reportMode, findings, commit, total, ignored, persist,
                new TrackerImportReport.Timings(start, parsed, validated));
    }

    private static void sleep(java.time.Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <E extends Enum<E>> E enumParam(SandboxRequest r, String name, Class<E> type, E fallback) {
        String value = r.param(name).orElse(null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw Dhis2Exception.badRequest("Value " + value + " is not a valid " + name);
        }
    }
}
