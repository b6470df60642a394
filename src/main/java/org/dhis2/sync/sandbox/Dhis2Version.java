package org.dhis2.sync.sandbox;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DHIS2 release as reported by {@code /api/system/info} {@code version} ("2.39", "2.40.3", "2.41-SNAPSHOT"),
 * with the behaviour switches that differ between releases (see shared/reference/dhis2-web-api.md §0).
 */
public record Dhis2Version(int major, int minor, int patch) implements Comparable<Dhis2Version> {

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*$");

    public static Dhis2Version parse(String text) {
        Matcher m = VERSION.matcher(Objects.requireNonNull(text, "version").trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a DHIS2 version: '" + text + "' (expected e.g. 2.40 or 2.40.3)");
        }
        return new Dhis2Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public static Dhis2Version of(int minor) {
        return new Dhis2Version(2, minor, 0);
    }

    /** 2.38+ wrap import summaries and reports in a WebMessage envelope. */
    public boolean wrapsImportSummaries() {
        return minor >= 38;
    }

    /** dataValueSets / completeDataSetRegistrations answer 409 on WARNING in 2.38–2.42, 200 before and from 2.43. */
    public boolean conflictOnImportWarning() {
        return minor >= 38 && minor <= 42;
    }

    /** Old /api/events, /api/enrollments, /api/trackedEntityInstances exist up to 2.41. */
    public boolean hasOldTrackerApi() {
        return minor <= 41;
    }

    /** Page envelope of /api/tracker/* exports. */
    public TrackerPageShape trackerPageShape() {
        if (minor <= 40) {
            return TrackerPageShape.INSTANCES;
        }
        return minor == 41 ? TrackerPageShape.PAGER_AND_FLAT : TrackerPageShape.PAGER_ONLY;
    }

    public boolean atLeast(int minorVersion) {
        return minor >= minorVersion;
    }

    @Override
    public int compareTo(Dhis2Version o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + (patch > 0 ? "." + patch : "");
    }

    public enum TrackerPageShape {
        /** ≤2.40: {"page","pageSize","total"?,"instances":[...]} */
        INSTANCES,
        /** 2.41: {"pager":{...}, flat page fields, "events"|"trackedEntities":[...]} */
        PAGER_AND_FLAT,
        /** 2.42: {"pager":{...}, "events"|"trackedEntities":[...]} */
        PAGER_ONLY
    }
}
