package org.dhis2.sync.sandbox;

import java.security.SecureRandom;
import java.util.zip.CRC32;

/** Personal access tokens in DHIS2's formats: V1 {@code d2pat_} + 32 chars + CRC32, V2 {@code d2p_} + 44 chars. */
final class ApiTokens {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokens() {
    }

    static String generate(Dhis2Version version) {
        boolean v2 = version.atLeast(41);
        String prefix = v2 ? "d2p_" : "d2pat_";
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < (v2 ? 44 : 32); i++) {
            random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        CRC32 crc = new CRC32();
        crc.update((prefix + random).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return prefix + random + String.format("%010d", crc.getValue());
    }
}
