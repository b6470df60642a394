package org.dhis2.sync.sandbox;

/** Base metadata: org unit tree, category option combos, data elements, data sets (aggregate area fills this). */
final class MetadataGenerator {

    private MetadataGenerator() {
    }

    static void generate(Dhis2Instance instance, GeneratorSpec spec) {
    }
}
