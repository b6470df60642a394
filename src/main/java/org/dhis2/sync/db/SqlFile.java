package org.dhis2.sync.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** SQL statements live in src/main/resources/sql/*.sql; beans read them by name, once. */
public final class SqlFile {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private SqlFile() {
    }

    public static String get(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = SqlFile.class.getResourceAsStream("/sql/" + n + ".sql")) {
                if (in == null) {
                    throw new IllegalArgumentException("no SQL file sql/" + n + ".sql");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read sql/" + n + ".sql", e);
            }
        });
    }
}
