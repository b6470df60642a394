package org.dhis2.sync.sandbox;

/** Data values and complete registrations on one instance (aggregate area fills this). */
final class AggregateGenerator {

    private AggregateGenerator() {
    }

    static void generate(Dhis2Instance instance, GeneratorSpec spec) {
    }
}
