package org.dhis2.sync.sandbox;

/** Endpoints of one area (to be filled in). */
final class ReservedValueApi {

    private ReservedValueApi() {
    }

    static void register(Router router, Dhis2Instance instance) {
    }
}
