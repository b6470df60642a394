package org.dhis2.sync.sandbox;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

/** DHIS2's StreamUtils.wrapAndCheckCompressionFormat: gzip by 1F 8B, zip (first entry) by 50 4B 03 04. */
final class CompressionSniffer {

    private CompressionSniffer() {
    }

    static InputStream unwrap(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(buffered, 64 * 1024);
        }
        if (head.length == 4 && head[0] == 0x50 && head[1] == 0x4b && head[2] == 0x03 && head[3] == 0x04) {
            ZipInputStream zip = new ZipInputStream(buffered);
            zip.getNextEntry();
            return zip;
        }
        return buffered;
    }
}
