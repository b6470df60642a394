package org.dhis2.sync.config;

import java.util.List;
import java.util.Optional;

/**
 * Settings of the tracker download (central → local, job TRACKER_DOWNLOAD).
 *
 * @param pageSize           tracked entities per export call (sync.download.pageSize)
 * @param limit              tracked entities per program and run (sync.download.limit)
 * @param programs           tracker programs to download; empty = every tracker program of central
 * @param breakTheGlassReason reason given to central's ownership override for protected programs; empty = never
 */
public record DownloadSettings(int pageSize, int limit, List<String> programs, String breakTheGlassReason) {

    public DownloadSettings {
        programs = List.copyOf(programs);
    }

    /** The reason to break the glass with, when the operator configured one. */
    public Optional<String> overrideReason() {
        return breakTheGlassReason == null || breakTheGlassReason.isBlank() ? Optional.empty()
                : Optional.of(breakTheGlassReason);
    }
}
