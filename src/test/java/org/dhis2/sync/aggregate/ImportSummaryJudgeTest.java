package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportSummaryJudgeTest {

    private static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/fixtures/dhis2/import-summaries", name));
    }

    @Test
    void webMessageSuccessSettles() throws Exception {
        ImportJudgement j = ImportSummaryJudge.judge(200, fixture("data_value_import_summary_web_response.json"));
        assertThat(j.status()).isEqualTo("SUCCESS");
        assertThat(j.updated()).isEqualTo(10);
        assertThat(j.settlesPage()).isTrue();
    }

    @Test
    void warningIn409WebMessageAndInPlainSummaryAreJudgedAlike() throws Exception {
        ImportJudgement wrapped = ImportSummaryJudge.judge(409, fixture("data_value_set_warning.json"));
        ImportJudgement plain = ImportSummaryJudge.judge(200, fixture("data_value_set_warning.pre-2.38.json"));
        for (ImportJudgement j : List.of(wrapped, plain)) {
            assertThat(j.status()).isEqualTo("WARNING");
            assertThat(j.settlesPage()).isTrue();
            assertThat(j.ignored()).isEqualTo(1);
            assertThat(j.conflicts()).singleElement().satisfies(c -> {
                assertThat(c.object()).isEqualTo("40L");
                assertThat(c.value()).contains("vANAXwtLwcT");
            });
        }
    }

    @Test
    void abortedImportDoesNotSettle() {
        ImportJudgement j = ImportSummaryJudge.judge(409, """
                {"httpStatus":"Conflict","httpStatusCode":409,"status":"ERROR","message":"An error occurred",
                 "response":{"responseType":"ImportSummary","status":"ERROR","description":"Import process was aborted",
                 "importCount":{"imported":0,"updated":0,"ignored":3,"deleted":0},
                 "conflicts":[{"object":"xyz","value":"Data set not found or not accessible","errorCode":"E7600"}]}}""");
        assertThat(j.status()).isEqualTo("ERROR");
        assertThat(j.settlesPage()).isFalse();
        assertThat(j.conflicts()).singleElement().extracting(ImportJudgement.Conflict::errorCode).isEqualTo("E7600");
    }

    @Test
    void conflictIndexesAreKept() {
        ImportJudgement j = ImportSummaryJudge.judge(409, """
                {"httpStatus":"Conflict","httpStatusCode":409,"status":"WARNING","response":{"status":"WARNING",
                 "importCount":{"imported":1,"ignored":2},"conflicts":[{"object":"ou1","value":"Org unit not found",
                 "errorCode":"E7612","property":"orgUnit","indexes":[1,3]}],"rejectedIndexes":[1,3]}}""");
        assertThat(j.conflicts().get(0).indexes()).containsExactly(1, 3);
    }

    @Test
    void malformedEmptyOrForeignAnswersAreUnreadable() {
        assertThat(ImportSummaryJudge.judge(200, "{\"httpStatus\":\"OK\",\"response\":{\"status\":").status())
                .isEqualTo("UNREADABLE");
        assertThat(ImportSummaryJudge.judge(200, "").settlesPage()).isFalse();
        assertThat(ImportSummaryJudge.judge(401, "{\"httpStatus\":\"Unauthorized\",\"httpStatusCode\":401,"
                + "\"status\":\"ERROR\",\"message\":\"Unauthorized\"}").description()).contains("401");
        assertThat(ImportSummaryJudge.judge(413, "{\"status\":\"SUCCESS\"}").settlesPage()).isFalse();
    }
}
