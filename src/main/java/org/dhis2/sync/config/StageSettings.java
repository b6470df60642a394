package org.dhis2.sync.config;

import java.util.List;
import java.util.Locale;

/**
 * How the push stages page their work (sync.dataValues.*, sync.completeRegistrations.*, sync.events.*,
 * sync.tracker.*, central.compression).
 *
 * @param dataValuesPageSize            data values per page sent to central
 * @param completeRegistrationsPageSize complete data set registrations per page
 * @param dataValuesCsv                 sync.dataValues.format=csv: data values are POSTed as application/csv
 *                                      (DHIS2's 11 columns)
 * @param centralCompression            gzip the bodies POSTed to central's dataValueSets and
 *                                      completeDataSetRegistrations
 * @param eventsPageSize                events per page
 * @param trackerPageSize               tracked entities per page
 * @param trackerParallelism            tracker pages in flight at once
 * @param eventsParallelism             event pages in flight at once
 * @param dataValuesParallelism         data value pages in flight at once
 * @param eventsPrograms                configured event programs; empty = every event program of the local instance
 * @param trackerPrograms               configured tracker programs; empty = every tracked entity type of the local
 *                                      instance
 */
record StageSettings(int dataValuesPageSize, int completeRegistrationsPageSize, boolean dataValuesCsv,
                     boolean centralCompression, int eventsPageSize, int trackerPageSize, int trackerParallelism,
                     int eventsParallelism, int dataValuesParallelism, List<String> eventsPrograms,
                     List<String> trackerPrograms) {

    static StageSettings read(SettingsChecker c) {
        // DHIS2's job parameter limits (DATA_SYNC 50–30000, EVENT_PROGRAMS 5–200, TRACKER_PROGRAMS 5–100)
        return new StageSettings(c.integer("sync.dataValues.pageSize", 50, 30000),
                c.integer("sync.completeRegistrations.pageSize", 50, 30000),
                dataValuesFormat(c).equals("csv"),
                c.bool("central.compression"),
                c.integer("sync.events.pageSize", 5, 200),
                c.integer("sync.tracker.pageSize", 5, 100),
                c.integer("sync.tracker.parallelism", 1, 16),
                c.integer("sync.events.parallelism", 1, 16),
                c.integer("sync.dataValues.parallelism", 1, 8),
                c.uids("sync.events.programs"),
                c.uids("sync.tracker.programs"));
    }

    /** sync.dataValues.format: json (default) or csv. */
    private static String dataValuesFormat(SettingsChecker c) {
        String v = c.text("sync.dataValues.format", "json").toLowerCase(Locale.ROOT);
        if (!v.equals("json") && !v.equals("csv")) {
            c.problem("sync.dataValues.format", "'" + v + "' is not json or csv");
            return "json";
        }
        return v;
    }
}
