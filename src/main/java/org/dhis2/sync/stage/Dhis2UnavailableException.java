package org.dhis2.sync.stage;

/** The availability check failed: the stage stops before reading or writing anything. */
public class Dhis2UnavailableException extends RuntimeException {

    private final String instance;

    public Dhis2UnavailableException(String instance, String reason) {
        super("The " + instance + " DHIS2 is unavailable: " + reason);
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }
}
