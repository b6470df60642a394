package org.dhis2.sync.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Reads typed values from the settings and collects every problem with its key, so that all of them are reported
 * at once; a secret's value is never echoed.
 */
final class SettingsChecker {
    private final Properties p;
    private final List<String> problems = new ArrayList<>();

    SettingsChecker(Properties p) {
        this.p = p;
    }

    void problem(String key, String message) {
        problems.add(key + ": " + message);
    }

    /** The trimmed value, or "" when the key is not set. */
    String text(String key) {
        return text(key, "");
    }

    /** The trimmed value, or the default when the key is not set (set but empty stays empty). */
    String text(String key, String defaultValue) {
        return p.getProperty(key, defaultValue).trim();
    }

    /** The value as given, or ""; passwords are not trimmed, as spaces may be part of them. */
    String secret(String key) {
        return p.getProperty(key, "");
    }

    Set<String> keys() {
        return p.stringPropertyNames();
    }

    String required(String key) {
        String v = text(key);
        if (v.isEmpty()) {
            problem(key, "is required");
        }
        return v.isEmpty() ? "." : v;
    }

    int integer(String key, int min, int max) {
        String v = text(key);
        if (v.isEmpty()) {
            problem(key, "is required (a whole number from " + min + " to " + max + ")");
            return min;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                problem(key, "'" + v + "' is outside the allowed range " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key, "'" + v + "' is not a whole number (allowed " + min + ".." + max + ")");
            return min;
        }
    }

    /** Comma-separated DHIS2 UIDs (a letter, then 10 letters or digits); empty = none. */
    List<String> uids(String key) {
        List<String> uids = new ArrayList<>();
        for (String part : text(key).split(",")) {
            String uid = part.trim();
            if (uid.isEmpty()) {
                continue;
            }
            if (!uid.matches("[A-Za-z][A-Za-z0-9]{10}")) {
                problem(key, "'" + uid + "' is not a DHIS2 UID (a letter followed by 10 letters or digits)");
            } else if (!uids.contains(uid)) {
                uids.add(uid);
            }
        }
        return List.copyOf(uids);
    }

    double decimal(String key, double min, double max) {
        String v = text(key);
        try {
            double d = Double.parseDouble(v);
            if (d < min || d > max || Double.isNaN(d)) {
                problem(key, "'" + v + "' is outside the allowed range " + min + ".." + max);
            }
            return d;
        } catch (NumberFormatException e) {
            problem(key, "'" + v + "' is not a number (allowed " + min + ".." + max + ")");
            return min;
        }
    }

    boolean bool(String key) {
        String v = text(key, "false");
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            problem(key, "'" + v + "' is not true or false");
        }
        return v.equalsIgnoreCase("true");
    }

    Optional<Instant> instant(String key) {
        String v = text(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (v.length() == 10) {
                return Optional.of(LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            try {
                return Optional.of(OffsetDateTime.parse(v).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.of(LocalDateTime.parse(v).toInstant(ZoneOffset.UTC));
            }
        } catch (DateTimeParseException e) {
            problem(key, "'" + v + "' is not a date (yyyy-MM-dd) or date-time (yyyy-MM-ddTHH:mm:ss[Z])");
            return Optional.empty();
        }
    }

    // issue 17: an address to bind to, a literal (IPv4, IPv6) or a host name, never resolved here
    String host(String key) {
        String v = text(key);
        if (!v.matches("[A-Za-z0-9][A-Za-z0-9.\\-]{0,252}|[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*")) {
            problem(key, v.isEmpty() ? "is required (the address to listen on: 0.0.0.0 = every interface,"
                    + " 127.0.0.1 = this machine only)" : "'" + v + "' is not an IP address or host name");
            return "0.0.0.0";
        }
        return v;
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
