package org.dhis2.sync.sandbox;

/** State of one area of an emulated instance (to be filled in by its area). */
public final class TrackerStore {

    private final Dhis2Instance instance;

    TrackerStore(Dhis2Instance instance) {
        this.instance = instance;
    }
}
