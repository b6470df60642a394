package org.dhis2.sync.sandbox;

import java.util.Optional;

/** Metadata versions of an emulated instance (to be filled in by the metadata-versioning area). */
public final class MetadataVersionStore {

    private final Dhis2Instance instance;

    MetadataVersionStore(Dhis2Instance instance) {
        this.instance = instance;
    }

    /** Name of the instance's current (newest) metadata version, if any. */
    public Optional<String> currentVersionName() {
        return Optional.empty();
    }
}
