package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/** The ImportReport of one tracker import in the shape of the instance's version (without HTTP envelope). */
final class TrackerImportReport {

    private TrackerImportReport() {
    }

    /** Nanosecond marks of the import's phases, for the 2.39/2.40 timing stats. */
    record Timings(long start, long parsed, long validated) {
    }

    static ObjectNode build(Dhis2Instance instance, String reportMode, TrackerImportFindings findings,
                            TrackerImportCommit commit, int total, int ignored, boolean persisted, Timings timings) {
        Map<Kind, int[]> stats = commit.stats();
        Map<Kind, ArrayNode> reports = commit.reports();
        Dhis2Version version = instance.version();
        ObjectNode report = SandboxJson.object();
        report.put("status", findings.hasErrors() ? "ERROR" : "OK");
        findings.writeValidationReport(report, version, reportMode);
        int[] sum = new int[4];
        for (int[] s : stats.values()) {
            for (int i = 0; i < 3; i++) {
                sum[i] += s[i];
            }
        }
        report.set("stats", stats(sum[0], sum[1], sum[2], ignored, total));
        // real 2.41.8.2 carries the bundle report whenever the bundle was committed, even with nothing in it
        // (an ignored re-posted relationship, an empty payload; SandboxVersusRealTest)
        boolean anything = persisted;
        if (anything) {
            ObjectNode map = report.putObject("bundleReport").putObject("typeReportMap");
            for (Kind k : TrackerImportPayload.ORDER) {
                int[] s = stats.get(k);
                ObjectNode type = map.putObject(k.name()).put("trackerType", k.name());
                type.set("stats", stats(s[0], s[1], s[2], s[3], s[0] + s[1] + s[2] + s[3]));
                ArrayNode objectReports = SandboxJson.array();
                reports.get(k).forEach(r -> {
                    if (!instance.faults().unconfirmedUids().contains(r.path("uid").asText())) {
                        objectReports.add(r);
                    }
                });
                type.set("objectReports", objectReports);
            }
        }
        if (!version.atLeast(41) && "FULL".equals(reportMode)) {
            ObjectNode timers = report.putObject("timingsStats").putObject("timers");
            long end = System.nanoTime();
            timers.put("preheat", seconds(timings.parsed() - timings.start()));
            timers.put("validation", seconds(timings.validated() - timings.parsed()));
            timers.put("commit", seconds(end - timings.validated()));
            timers.put("totalImport", seconds(end - timings.start()));
        }
        return report;
    }

    private static ObjectNode stats(int created, int updated, int deleted, int ignored, int total) {
        return SandboxJson.object().put("created", created).put("updated", updated).put("deleted", deleted)
                .put("ignored", ignored).put("total", total);
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.6f sec.", nanos / 1e9);
    }
}
