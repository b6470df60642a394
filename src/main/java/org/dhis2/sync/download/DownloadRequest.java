package org.dhis2.sync.download;

import java.util.List;

/**
 * A download by UID asked on the admin API ({@code POST /api/download/trackedEntities}): exactly these tracked
 * entities, within a program or not. Travels on the job's exchange as property {@value #PROPERTY}.
 */
public record DownloadRequest(List<String> trackedEntities, String program) {

    public static final String PROPERTY = "dhis2sync.downloadRequest";

    public DownloadRequest {
        trackedEntities = List.copyOf(trackedEntities);
    }
}
