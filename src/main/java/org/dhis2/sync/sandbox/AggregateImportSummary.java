package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the legacy {@code ImportSummary} of dataValueSets / completeDataSetRegistrations imports: counts, conflicts
 * de-duplicated with their 0-based {@code indexes} (as DHIS2's ImportConflicts does), {@code rejectedIndexes}.
 */
final class AggregateImportSummary {

    static final String COMPLETED = "Import process completed successfully";
    static final String ABORTED = "Import process was aborted";

    /** One conflict kind; the same kind on several values becomes one conflict with several indexes. */
    private record ConflictKey(String object, Map<String, String> objects, String value, String errorCode,
                               String property) {
    }

    private final String importStrategy;
    private final boolean dryRun;
    private final boolean async;
    private final Map<ConflictKey, List<Integer>> conflicts = new LinkedHashMap<>();
    private final TreeSet<Integer> rejected = new TreeSet<>();
    int imported;
    int updated;
    int ignored;
    int deleted;
    private boolean aborted;
    private String dataSetComplete = "false";

    /** Before 2.37 a conflict is only {@code {object, value}}, kept once per pair (ImportSummary's Set). */
    private final boolean legacy;

    AggregateImportSummary(String importStrategy, boolean dryRun, boolean async) {
        this(importStrategy, dryRun, async, false);
    }

    /**
     * A completeDataSetRegistrations summary: real 2.41.8.2 answers it with {@code rejectedIndexes} (empty) and
     * without {@code dataSetComplete}, which only data value imports carry (SandboxVersusRealTest).
     */
    static AggregateImportSummary forRegistrations(String importStrategy, boolean dryRun, boolean async) {
        AggregateImportSummary summary = new AggregateImportSummary(importStrategy, dryRun, async, false);
        summary.registrations = true;
        return summary;
    }

    private boolean registrations;
    private boolean dataSetOptions;

    /** The DHIS2 version answering: its ImportOptions key set. */
    AggregateImportSummary of(Dhis2Version version) {
        this.dataSetOptions = version.atLeast(40);
        return this;
    }

    AggregateImportSummary(String importStrategy, boolean dryRun, boolean async, boolean legacy) {
        this.importStrategy = importStrategy;
        this.dryRun = dryRun;
        this.async = async;
        this.legacy = legacy;
    }

    boolean legacy() {
        return legacy;
    }

    /**
     * Adds a conflict in DHIS2's newer shape ({@code objects}, {@code errorCode}, {@code property}); index &lt; 0
     * means the conflict is about the whole set.
     */
    void conflict(int index, String object, Map<String, String> objects, String message, String errorCode,
                  String property) {
        List<Integer> indexes = conflicts.computeIfAbsent(legacy ? new ConflictKey(object, null, message, null, null)
                : new ConflictKey(object, objects, message, errorCode, property), k -> new ArrayList<>());
        if (index >= 0) {
            indexes.add(index);
            rejected.add(index);
        }
    }

    /** A conflict in the legacy shape {@code {object, value}} (complete registrations). */
    void legacyConflict(String object, String message) {
        conflicts.computeIfAbsent(new ConflictKey(object, null, message, null, null), k -> new ArrayList<>());
    }

    /** Data-set level failure: nothing is imported. */
    void abort() {
        aborted = true;
        imported = 0;
        updated = 0;
        deleted = 0;
    }

    boolean aborted() {
        return aborted;
    }

    void dataSetComplete(String date) {
        this.dataSetComplete = date;
    }

    String status() {
        if (aborted) {
            return "ERROR";
        }
        return conflicts.isEmpty() ? "SUCCESS" : "WARNING";
    }

    ObjectNode toJson() {
        ObjectNode summary = SandboxJson.object();
        summary.put("status", status());
        summary.set("importOptions", importOptions());
        summary.put("description", aborted ? ABORTED : COMPLETED);
        ObjectNode count = summary.putObject("importCount");
        count.put("imported", imported);
        count.put("updated", updated);
        count.put("ignored", ignored);
        count.put("deleted", deleted);
        ArrayNode list = summary.putArray("conflicts");
        conflicts.forEach((key, indexes) -> {
            ObjectNode c = list.addObject();
            c.put("object", key.object());
            if (key.objects() != null) {
                ObjectNode objects = c.putObject("objects");
                key.objects().forEach(objects::put);
            }
            c.put("value", key.value());
            if (key.errorCode() != null) {
                c.put("errorCode", key.errorCode());
            }
            if (key.property() != null) {
                c.put("property", key.property());
            }
            if (!indexes.isEmpty() && !legacy) {
                ArrayNode idx = c.putArray("indexes");
                indexes.forEach(idx::add);
            }
        });
        if ((!rejected.isEmpty() || registrations) && !legacy) {
            ArrayNode idx = summary.putArray("rejectedIndexes");
            rejected.forEach(idx::add);
        }
        if (!registrations) {
            summary.put("dataSetComplete", dataSetComplete);
        }
        return summary;
    }

    /** DHIS2's ImportOptions as the summary echoes them (key set of 2.38+ servers). */
    private ObjectNode importOptions() {
        ObjectNode o = SandboxJson.object();
        o.putObject("idSchemes");
        o.put("dryRun", dryRun);
        o.put("async", async);
        o.put("importStrategy", importStrategy);
        o.put("mergeMode", "REPLACE");
        o.put("reportMode", "FULL");
        o.put("skipExistingCheck", false);
        o.put("sharing", false);
        o.put("skipNotifications", false);
        o.put("skipAudit", false);
        o.put("datasetAllowsPeriods", false);
        o.put("strictPeriods", false);
        o.put("strictDataElements", false);
        o.put("strictCategoryOptionCombos", false);
        o.put("strictAttributeOptionCombos", false);
        o.put("strictOrganisationUnits", false);
        if (dataSetOptions) { // ImportOptions has them from 2.40 (core@2.40.0, 2.41.8.2; not 2.39.0)
            o.put("strictDataSetApproval", false);
            o.put("strictDataSetLocking", false);
            o.put("strictDataSetInputPeriods", false);
        }
        o.put("requireCategoryOptionCombo", false);
        o.put("requireAttributeOptionCombo", false);
        o.put("skipPatternValidation", false);
        o.put("ignoreEmptyCollection", false);
        o.put("force", false);
        o.put("firstRowIsHeader", true);
        o.put("skipLastUpdated", false);
        o.put("mergeDataValues", false);
        o.put("skipCache", false);
        return o;
    }
}
