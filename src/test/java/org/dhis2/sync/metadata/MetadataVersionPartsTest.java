package org.dhis2.sync.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The small parts of the metadata pull: ordering, snapshot checks and cleaning, import report judging. */
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
    void jobConfigurationsAndPasswordsAreRemoved() throws Exception {
        ObjectNode snapshot = (ObjectNode) JSON.readTree("""
                {"jobConfigurations":[{"id":"j1"}],
                 "users":[{"id":"u1","password":"$2a$hash","userCredentials":{"password":"x","username":"a"}},
                          {"id":"u2","username":"b"}],
                 "optionSets":[{"id":"o1"}]}""");
        assertThat(SnapshotCheck.clean(snapshot)).isEqualTo("removed 1 job configuration(s) and 2 user password(s)");
        assertThat(snapshot.has("jobConfigurations")).isFalse();
        assertThat(snapshot.toString()).doesNotContain("password").contains("\"username\":\"a\"", "o1");
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
}
