package org.dhis2.sync.metadata;

/**
 * Metadata sync stopped for a reason that retrying will not fix (corrupted snapshot, DHIS2 version mismatch, import
 * errors, a version created locally). {@link #category()} names the part of the sync, as DHIS2's failure email does.
 */
public final class MetadataSyncException extends RuntimeException {

    private final String category;

    public MetadataSyncException(String category, String message) {
        super(message);
        this.category = category;
    }

    public String category() {
        return category;
    }
}
