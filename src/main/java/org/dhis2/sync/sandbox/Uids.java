package org.dhis2.sync.sandbox;

import java.security.SecureRandom;
import java.util.Random;

/** DHIS2 UIDs: 11 characters, a letter first, then letters and digits. */
public final class Uids {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String ALPHANUMERIC = LETTERS + "0123456789";
    private static final Random SECURE = new SecureRandom();

    private Uids() {
    }

    public static String random() {
        return generate(SECURE);
    }

    /** A UID from the given generator (deterministic for a seeded {@link Random}). */
    public static String generate(Random random) {
        char[] c = new char[11];
        c[0] = LETTERS.charAt(random.nextInt(LETTERS.length()));
        for (int i = 1; i < c.length; i++) {
            c[i] = ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length()));
        }
        return new String(c);
    }

    public static boolean isValid(String uid) {
        return uid != null && uid.matches("^[a-zA-Z][a-zA-Z0-9]{10}$");
    }
}
