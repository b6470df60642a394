package org.dhis2.sync.tracker;

/** DHIS2's tracker types (ImportReport trackerType) with the UID property and the collection name of the JSON. */
public enum TrackerType {
    TRACKED_ENTITY("trackedEntity", "trackedEntities"),
    ENROLLMENT("enrollment", "enrollments"),
    EVENT("event", "events"),
    RELATIONSHIP("relationship", "relationships");

    private final String idField;
    private final String collection;

    TrackerType(String idField, String collection) {
        this.idField = idField;
        this.collection = collection;
    }

    public String idField() {
        return idField;
    }

    public String collection() {
        return collection;
    }
}
