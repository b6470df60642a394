package org.dhis2.sync.sandbox;

/** A baseline version on both instances and a chain of newer versions on central (metadata area fills this). */
final class MetadataVersionGenerator {

    private MetadataVersionGenerator() {
    }

    static void generate(SandboxPair pair, GeneratorSpec spec) {
    }
}
