package org.dhis2.sync.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The small parts of the metadata pull: ordering, snapshot checks, import report and local sync answer judging. */
class MetadataVersionPartsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void historyIsSortedByCreationWhateverTheListedOrder() throws Exception {
        var answer = JSON.readTree("""
                {"metadataversions":[
                 {"name":"Version_10","type":"ATOMIC","created":"2024-01-03T10:00:00.000+0000","hashCode":"c"},
                 {"name":"Version_2","type":"BEST_EFFORT","created":"2024-01-01T10:00:00.000+0000","hashCode":"a"},
                 {"name":"Version_9","type":"BEST_EFFORT","created":"2024-01-03T10:00:00.000+0000","hashCode":"b"}]}""");
        assertThat(RemoteVersion.listInCreationOrder(answer)).extracting(RemoteVersion::name)
                .containsExactly("Version_2", "Version_9", "Version_10");
        assertThat(RemoteVersion.parseDate("2016-06-30T06:01:23.680+0000").toString())
                .isEqualTo("2016-06-30T06:01:23.680Z");
        assertThat(RemoteVersion.parseDate("2016-06-30T06:01:23Z").toString()).isEqualTo("2016-06-30T06:01:23Z");
    }

    @Test
    void snapshotIsGunzippedWhenGzipAndHashedLikeDhis2() throws Exception {
        String snapshot = "{\"system\":{\"version\":\"2.40\"},\"optionSets\":[]}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(snapshot.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(SnapshotCheck.text(out.toByteArray())).isEqualTo(snapshot);
        assertThat(SnapshotCheck.text(snapshot.getBytes(StandardCharsets.UTF_8))).isEqualTo(snapshot);
        assertThat(SnapshotCheck.md5("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void versionCheckFollowsDhis2() throws Exception {
        assertThat(SnapshotCheck.versionsDiffer("2.40", "2.41")).isTrue();
        assertThat(SnapshotCheck.versionsDiffer(" 2.40 ", "2.40")).isFalse();
        assertThat(SnapshotCheck.versionsDiffer("", "2.41")).isFalse(); // unknown local version: no stop
        assertThat(SnapshotCheck.versionsDiffer("2.40", null)).isFalse(); // no system node: no stop
        assertThat(SnapshotCheck.systemVersion(JSON.readTree("{\"optionSets\":[]}"))).isNull();
    }

    @Test
    void importReportsAreJudgedPerImportType() {
        String warning = """
                {"httpStatus":"Conflict","httpStatusCode":409,"status":"WARNING","message":"…",
                 "response":{"responseType":"ImportReport","status":"WARNING","stats":{"created":1,"ignored":1},
                  "typeReports":[{"klass":"org.hisp.dhis.dataelement.DataElement",
                   "stats":{"created":1,"updated":0,"deleted":0,"ignored":1,"total":2},
                   "objectReports":[{"errorReports":[{"errorCode":"E5002","message":"Invalid reference"}]}]}]}}""";
        var bestEffort = ImportReportJudge.judge(409, warning, false);
        assertThat(bestEffort.accepted()).isTrue();
        assertThat(bestEffort.countsText()).isEqualTo("DataElement: created 1, updated 0, ignored 1");
        assertThat(bestEffort.errors()).containsExactly("E5002 Invalid reference");
        assertThat(ImportReportJudge.judge(409, warning, true).accepted()).isFalse();
        assertThat(ImportReportJudge.judge(409, warning.replace("\"status\":\"WARNING\",\"stats\"",
                "\"status\":\"ERROR\",\"stats\""), false).accepted()).isFalse();
        assertThat(ImportReportJudge.judge(200, "{\"status\":\"OK\",\"typeReports\":[]}", true).accepted()).isTrue();
        var noReport = ImportReportJudge.judge(403, "{\"httpStatus\":\"Forbidden\",\"message\":\"Access is denied\"}", true);
        assertThat(noReport.accepted()).isFalse();
        assertThat(noReport.errors()).containsExactly("HTTP 403: Access is denied");
    }

    @Test
    void localSyncAnswersAreJudgedAsDhis2GivesThem() {
        RemoteVersion bestEffort = new RemoteVersion("Version_3", "BEST_EFFORT", java.time.Instant.EPOCH, "id", "abc");
        RemoteVersion atomic = new RemoteVersion("Version_3", "ATOMIC", java.time.Instant.EPOCH, "id", "abc");
        String ok = "{\"importReport\":{\"status\":\"OK\",\"typeReports\":[]},"
                + "\"metadataVersion\":{\"name\":\"Version_3\",\"hashCode\":\"abc\"}}";
        assertThat(LocalSyncAnswer.judge(200, ok, atomic).outcome()).isEqualTo(LocalSyncAnswer.Outcome.IMPORTED);
        // 409 with the summary: a BEST_EFFORT WARNING was registered by DHIS2, an ATOMIC one was not
        String warning = "{\"httpStatus\":\"Conflict\",\"httpStatusCode\":409,\"status\":\"ERROR\",\"response\":"
                + ok.replace("\"OK\"", "\"WARNING\"") + "}";
        assertThat(LocalSyncAnswer.judge(409, warning, bestEffort).outcome())
                .isEqualTo(LocalSyncAnswer.Outcome.IMPORTED);
        assertThat(LocalSyncAnswer.judge(409, warning, atomic).outcome()).isEqualTo(LocalSyncAnswer.Outcome.FAILED);
        String exists = "{\"httpStatus\":\"Conflict\",\"httpStatusCode\":409,\"status\":\"ERROR\","
                + "\"message\":\"Version already exists in system and hence not starting the sync.\"}";
        assertThat(LocalSyncAnswer.judge(409, exists, atomic).outcome())
                .isEqualTo(LocalSyncAnswer.Outcome.ALREADY_KNOWN);
        var parsing = LocalSyncAnswer.judge(400, "{\"httpStatus\":\"Bad Request\",\"httpStatusCode\":400,"
                + "\"status\":\"ERROR\",\"message\":\"Error in parsing inputParams Client Error.\"}", atomic);
        assertThat(parsing.outcome()).isEqualTo(LocalSyncAnswer.Outcome.FAILED);
        assertThat(parsing.explanation()).contains("HTTP 400: Error in parsing inputParams", "keyRemoteInstanceUrl");
        // a version registered with another hash: local pulled from another server
        assertThat(LocalSyncAnswer.judge(200, ok.replace("\"hashCode\":\"abc\"", "\"hashCode\":\"def\""), atomic)
                .explanation()).contains("points to another server");
        assertThat(LocalSyncAnswer.explainServerError(500, "{\"message\":\"Remote server is not configured\"}"))
                .contains("HTTP 500: Remote server is not configured", "keyRemoteInstancePassword");
    }
}
