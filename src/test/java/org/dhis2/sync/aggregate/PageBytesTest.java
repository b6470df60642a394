package org.dhis2.sync.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dhis2.sync.http.RequestCompression;
import org.junit.jupiter.api.Test;

/**
 * Bytes on the wire (request body) of one page of 10,000 data values as the engine sends it: JSON, gzipped JSON,
 * CSV, gzipped CSV. 50 org units x 50 data elements x 4 category option combos, one period, 11-character UIDs,
 * values 0-999, storedBy set, no comments. The figures go to the log for bench/RESULTS.md.
 */
class PageBytesTest {

    @Test
    void gzippedCsvIsTheSmallestPage() {
        Random random = new Random(15);
        List<String> ous = uids(random, 50);
        List<String> des = uids(random, 50);
        List<String> cocs = uids(random, 4);
        String aoc = uids(random, 1).get(0);
        List<DataValue> values = new ArrayList<>();
        for (String ou : ous) {
            for (String de : des) {
                for (String coc : cocs) {
                    values.add(new DataValue(de, "202401", ou, coc, aoc, String.valueOf(random.nextInt(1000)),
                            "district.officer", null, false, false, 0L));
                }
            }
        }
        DataValuePage page = new DataValuePage(1, values);
        long json = page.toJson().length;
        long jsonGz = RequestCompression.gzip(page.toJson()).length;
        long csv = page.toCsv().length;
        long csvGz = RequestCompression.gzip(page.toCsv()).length;
        System.out.printf("10,000 values: JSON %,d B; gzip JSON %,d B (%.1fx); CSV %,d B; gzip CSV %,d B (%.1fx)%n",
                json, jsonGz, (double) json / jsonGz, csv, csvGz, (double) json / csvGz);
        assertThat(jsonGz).isLessThan(json / 4);
        assertThat(csv).isLessThan(json / 2);
        assertThat(csvGz).isLessThan(jsonGz);
    }

    private static List<String> uids(Random random, int n) {
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        String alnum = letters + "0123456789";
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder uid = new StringBuilder().append(letters.charAt(random.nextInt(letters.length())));
            for (int j = 1; j < 11; j++) {
                uid.append(alnum.charAt(random.nextInt(alnum.length())));
            }
            uids.add(uid.toString());
        }
        return uids;
    }
}
