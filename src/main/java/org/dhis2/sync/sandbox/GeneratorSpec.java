package org.dhis2.sync.sandbox;

/**
 * Sizes of the generated sandbox world. The same seed and sizes always give the same UIDs, values and versions.
 *
 * @param seed                  seed of every random choice
 * @param orgUnits              facilities (leaf org units) under one national root and a few districts
 * @param dataElements          aggregate data elements (numeric, some text), spread over {@code dataSets}
 * @param dataSets              aggregate data sets (monthly)
 * @param categoryOptionCombos  category option combos of the data elements' category combo
 * @param periods               monthly periods, ending with last month
 * @param dataValues            upper bound of generated data values on the local instance (0 = none)
 * @param completeRegistrations share of (data set, org unit, period) combinations registered complete, 0..1
 * @param eventPrograms         event programs (without registration)
 * @param eventsPerProgram      events per event program on the local instance
 * @param trackerPrograms       tracker programs (with registration)
 * @param trackedEntities       tracked entities on the local instance (1–2 enrollments, ~3 events each)
 * @param relationships         relationships between tracked entities
 * @param metadataVersions      metadata versions created on the central instance after the baseline
 */
public record GeneratorSpec(long seed, int orgUnits, int dataElements, int dataSets, int categoryOptionCombos,
                            int periods, int dataValues, double completeRegistrations, int eventPrograms,
                            int eventsPerProgram, int trackerPrograms, int trackedEntities, int relationships,
                            int metadataVersions) {

    /** A small world for tests: a few hundred values, events and tracked entities. */
    public static GeneratorSpec small() {
        return new GeneratorSpec(42L, 6, 8, 2, 2, 3, 250, 0.5, 1, 30, 1, 12, 4, 3);
    }

    /** The size the {@code sandbox} command starts with by default. */
    public static GeneratorSpec demo() {
        return new GeneratorSpec(42L, 40, 30, 3, 4, 12, 20_000, 0.5, 2, 500, 2, 300, 50, 5);
    }

    public GeneratorSpec withDataValues(int count) {
        return new GeneratorSpec(seed, orgUnits, dataElements, dataSets, categoryOptionCombos, periods, count,
                completeRegistrations, eventPrograms, eventsPerProgram, trackerPrograms, trackedEntities,
                relationships, metadataVersions);
    }

    public GeneratorSpec withTrackedEntities(int count) {
        return new GeneratorSpec(seed, orgUnits, dataElements, dataSets, categoryOptionCombos, periods, dataValues,
                completeRegistrations, eventPrograms, eventsPerProgram, trackerPrograms, count,
                relationships, metadataVersions);
    }

    public GeneratorSpec withMetadataVersions(int count) {
        return new GeneratorSpec(seed, orgUnits, dataElements, dataSets, categoryOptionCombos, periods, dataValues,
                completeRegistrations, eventPrograms, eventsPerProgram, trackerPrograms, trackedEntities,
                relationships, count);
    }
}
