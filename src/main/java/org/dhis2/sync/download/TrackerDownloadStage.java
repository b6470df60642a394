package org.dhis2.sync.download;

import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.DownloadSettings;
import org.dhis2.sync.tracker.TrackerBookkeeping;

/**
 * Job TRACKER_DOWNLOAD (routes/tracker-download.camel.yaml): window, programs and paging of the bulk download. Per
 * tracker program of central (sync.download.programs, or all), the tracked entities in the sync user's CAPTURE scope
 * changed in [watermark - overlap, central's clock at the start), oldest change first, sync.download.pageSize per
 * call (keyset on updatedAt) up to sync.download.limit per program. A page that cannot be read is passed over
 * (the next call asks for the page after it) and the program's watermark waits before it; the download of a
 * program ends at the limit or at an empty or short page. Window: {@link DownloadWindow}; programs and skip-sync
 * fields: {@link DownloadScopes}; paging: {@link DownloadReader}; imports: {@link DownloadImportSteps}; by UID and
 * the relationship ends: {@link DownloadFetches}. This class is the route file's bean: it hands each step to its
 * part.
 */
public final class TrackerDownloadStage {

    public static final String STAGE = "trackerDownload";
    static final String WATERMARK_PREFIX = "download.";

    private final DownloadImportSteps importSteps;
    private final DownloadFetches fetches;
    private final DownloadRelationships relationships;
    private final DownloadWindow window;
    private final DownloadScopes scopes;
    private final DownloadReader reader;

    public TrackerDownloadStage(DataSource dataSource, String syncPair, DownloadSettings settings, Duration overlap,
                                Instant skipChangedBefore) {
        TrackerBookkeeping books = new TrackerBookkeeping(dataSource, syncPair);
        DownloadBookkeeping records = new DownloadBookkeeping(dataSource, syncPair);
        this.importSteps = new DownloadImportSteps(books, records, new PendingWork(skipChangedBefore));
        this.fetches = new DownloadFetches(records, settings);
        this.relationships = new DownloadRelationships(settings.pageSize(), records);
        this.window = new DownloadWindow(books);
        this.scopes = new DownloadScopes(books, settings, overlap, fetches);
        this.reader = new DownloadReader(settings);
    }

    /** Route steps of relationships and their ends (bean downloadRelationships). */
    public DownloadRelationships relationships() {
        return relationships;
    }

    /** Route steps of an import batch (bean downloadImport). */
    public DownloadImportSteps importSteps() {
        return importSteps;
    }

    /** Route steps of fetching by UID, overrides and relationship ends (bean downloadFetches). */
    public DownloadFetches fetches() {
        return fetches;
    }

    // ---------------------------------------------------------------- window (DownloadWindow)

    public void openWindow(Exchange exchange) throws Exception {
        window.open(exchange);
    }

    public void localInfo(Exchange exchange) throws Exception {
        window.localInfo(exchange);
    }

    public void stageFailed(Exchange exchange) {
        window.stageFailed(exchange);
    }

    public void closeWindow(Exchange exchange) {
        window.close(exchange);
    }

    // ---------------------------------------------------------------- programs and skip-sync fields (DownloadScopes)

    public void readPrograms(Exchange exchange) throws Exception {
        scopes.readPrograms(exchange);
    }

    public void readAttributes(Exchange exchange) throws Exception {
        scopes.readAttributes(exchange);
    }

    public void readProgramStages(Exchange exchange) throws Exception {
        scopes.readProgramStages(exchange);
    }

    // ---------------------------------------------------------------- paging (DownloadReader)

    public boolean hasNextPage(Exchange exchange) {
        return reader.hasNextPage(exchange);
    }

    public void preparePage(Exchange exchange) {
        reader.preparePage(exchange);
    }

    public void readPage(Exchange exchange) throws Exception {
        reader.readPage(exchange);
    }

    public void readFailed(Exchange exchange) {
        reader.readFailed(exchange);
    }
}
