package org.dhis2.sync.aggregate;

import java.util.List;

/**
 * Central's answer to one aggregate import (dataValueSets, completeDataSetRegistrations), read from a plain
 * ImportSummary or a WebMessage envelope, with HTTP 200 or 409.
 *
 * @param status      SUCCESS, WARNING or ERROR (DHIS2 ImportStatus); UNREADABLE when the answer could not be judged
 * @param description the summary's description, or why the answer was unreadable
 * @param conflicts   per-object conflicts; {@code indexes} are 0-based positions in the posted page (may be empty)
 */
public record ImportJudgement(String status, String description, int imported, int updated, int ignored,
                              int deleted, List<Conflict> conflicts) {

    public record Conflict(String object, String value, String errorCode, String property, List<Integer> indexes) {
    }

    public static ImportJudgement unreadable(String reason) {
        return new ImportJudgement("UNREADABLE", reason, 0, 0, 0, 0, List.of());
    }

    /** The page's data all reached a final state: imported, or rejected per object with a conflict. */
    public boolean settlesPage() {
        return "SUCCESS".equals(status) || "WARNING".equals(status);
    }

    public String counts() {
        return "imported " + imported + ", updated " + updated + ", deleted " + deleted + ", ignored " + ignored;
    }
}
