package org.dhis2.sync.sandbox;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /api/tracker} JSON does not sniff gzip (unlike dataValueSets): Spring hands the raw bytes to Jackson,
 * which stops at the gzip magic byte 0x1F. DHIS2's answer differs by version: 2.39/2.40 have no handler for
 * HttpMessageNotReadableException, so the catch-all answers 500 with the Jackson message (the cause's, with the
 * location Jackson 2.13/2.14 writes); 2.41 answers 400 with Spring 5.3's message (nested cause appended, source
 * redacted by Jackson 2.20); 2.42 (Spring 6) answers 400 with Spring's message alone.
 */
final class TrackerGzipBody {

    private static final String JACKSON = "Illegal character ((CTRL-CHAR, code 31)): only regular white space "
            + "(\\r, \\n, \\t) is allowed between tokens";

    private TrackerGzipBody() {
    }

    /** The body, unread; throws DHIS2's answer when it is gzip. */
    static InputStream refuseGzip(InputStream body, Dhis2Version version) throws IOException {
        BufferedInputStream in = new BufferedInputStream(body, 8 * 1024);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            throw answer(version);
        }
        return in;
    }

    static Dhis2Exception answer(Dhis2Version version) {
        if (!version.atLeast(41)) {
            return Dhis2Exception.internal(JACKSON
                    + "\n at [Source: (org.springframework.util.StreamUtils$NonClosingInputStream); line: 1, column: 2]");
        }
        if (!version.atLeast(42)) {
            return Dhis2Exception.badRequest("JSON parse error: " + JACKSON
                    + "; nested exception is com.fasterxml.jackson.core.JsonParseException: " + JACKSON
                    + "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, "
                    + "column: 2]");
        }
        return Dhis2Exception.badRequest("JSON parse error: " + JACKSON);
    }
}
