package org.dhis2.sync.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.engine.GzipProxy;
import org.dhis2.sync.job.JobRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TRACKER_DOWNLOAD from a central behind a proxy that gzips JSON answers (nginx with the DHIS2 docs' gzip_types):
 * the engine asks for gzip on every call to central, the gzipped tracked entity pages (Content-Encoding: gzip) are
 * decoded and imported on local, and the pushes to central's /api/tracker go plain JSON through the same proxy.
 */
class TrackerDownloadGzipTest {

    @Test
    void compressedTrackerExportsAreDecodedAndImported(@TempDir Path temp) throws Exception {
        GzipProxy[] proxy = new GzipProxy[1];
        try (DownloadFixture sync = DownloadFixture.start(temp, 41, 42, pair -> {
            try {
                proxy[0] = GzipProxy.inFrontOf(pair.centralServer().url());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("central.url", proxy[0].url(), "sync.download.pageSize", "5");
        })) {
            assertThat(sync.run(DownloadFixture.PUSH).status()).isEqualTo(JobRun.Status.SUCCESS);
            List<String> tes = DownloadFixture.trackedEntities(sync.local());
            String attribute = null;
            for (JsonNode a : sync.local().catalog().list("trackedEntityAttributes")) {
                if (!a.path("skipSynchronization").asBoolean(false) && attribute == null) {
                    attribute = a.path("id").asText();
                }
            }
            sync.setAttribute(sync.central(), tes.get(0), attribute, "changed at central, sent gzipped");

            JobRun download = sync.run(DownloadFixture.DOWNLOAD);

            assertThat(download.status()).as(download.summary()).isEqualTo(JobRun.Status.SUCCESS);
            assertThat(DownloadFixture.attribute(sync.local(), tes.get(0), attribute))
                    .isEqualTo("changed at central, sent gzipped");
            List<GzipProxy.Seen> seen = proxy[0].seen();
            assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s.acceptEncoding()).as("%s %s", s.method(),
                    s.path()).contains("gzip"));
            assertThat(seen).filteredOn(s -> s.path().equals("/api/tracker/trackedEntities")).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.answerGzipped()).isTrue());
            assertThat(seen).filteredOn(s -> s.method().equals("POST") && s.path().equals("/api/tracker"))
                    .isNotEmpty().allSatisfy(s -> assertThat(s.bodyGzipped()).isFalse());
        } finally {
            if (proxy[0] != null) {
                proxy[0].close();
            }
        }
    }
}
