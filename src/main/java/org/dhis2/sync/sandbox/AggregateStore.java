package org.dhis2.sync.sandbox;

/** State of one area of an emulated instance (to be filled in by its area). */
public final class AggregateStore {

    private final Dhis2Instance instance;

    AggregateStore(Dhis2Instance instance) {
        this.instance = instance;
    }
}
