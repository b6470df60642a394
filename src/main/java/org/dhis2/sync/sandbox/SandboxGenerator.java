package org.dhis2.sync.sandbox;

/**
 * Fills a sandbox pair deterministically: the same metadata on local and central (so that data can sync),
 * data only on local, and a chain of metadata versions on central.
 */
public final class SandboxGenerator {

    private SandboxGenerator() {
    }

    public static void populate(SandboxPair pair, GeneratorSpec spec) {
        MetadataGenerator.generate(pair.local(), spec);
        MetadataGenerator.generate(pair.central(), spec);
        AggregateGenerator.generate(pair.local(), spec);
        TrackerGenerator.generateMetadata(pair.local(), spec);
        TrackerGenerator.generateMetadata(pair.central(), spec);
        TrackerGenerator.generateData(pair.local(), spec);
        MetadataVersionGenerator.generate(pair, spec);
    }

    /** One more local instance of the same world (same metadata and data as the pair's local). */
    public static void populateLocal(Dhis2Instance local, GeneratorSpec spec) {
        MetadataGenerator.generate(local, spec);
        AggregateGenerator.generate(local, spec);
        TrackerGenerator.generateMetadata(local, spec);
        TrackerGenerator.generateData(local, spec);
    }

    /**
     * One more central for the same world (benchmarks compare runs against fresh centrals): the metadata the pair
     * shares, without data or metadata versions.
     */
    public static void populateCentral(Dhis2Instance central, GeneratorSpec spec) {
        MetadataGenerator.generate(central, spec);
        TrackerGenerator.generateMetadata(central, spec);
    }
}
