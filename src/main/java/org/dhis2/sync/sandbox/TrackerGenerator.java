package org.dhis2.sync.sandbox;

/** Programs, stages, attributes (metadata) and events / tracked entities (data) (tracker area fills this). */
final class TrackerGenerator {

    private TrackerGenerator() {
    }

    static void generateMetadata(Dhis2Instance instance, GeneratorSpec spec) {
    }

    static void generateData(Dhis2Instance instance, GeneratorSpec spec) {
    }
}
