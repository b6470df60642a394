package org.dhis2.sync.sandbox;

/** Endpoints of one area (to be filled in). */
final class AggregateApi {

    private AggregateApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
    }
}
