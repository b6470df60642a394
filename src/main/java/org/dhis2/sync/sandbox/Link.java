package org.dhis2.sync.sandbox;

import java.time.Duration;
import java.util.Locale;

/**
 * The emulated network between a client and one instance, and the reverse proxy in front of it (see
 * {@link LinkLine}). Bandwidths in bytes per second per direction (0 = unlimited): {@code up} is client → server
 * (request bodies), {@code down} server → client (answers). One round trip per request, varied by a uniform
 * ± {@code jitter}. The proxy part is off unless one of its settings is: {@code bodyLimit} bytes like nginx
 * {@code client_max_body_size} (413), {@code proxyTimeout} like nginx {@code proxy_read_timeout} (504 while the
 * instance finishes its work), {@code proxyGzip} like nginx {@code gzip on} with the DHIS2 docs' gzip_types.
 *
 * <p>Presets (figures, and where they come from):
 * <ul>
 *   <li>{@code lan}: no limits, no delay.</li>
 *   <li>{@code 3g}: 1.6 Mbit/s down, 768 kbit/s up, 300 ms RTT: WebPageTest's "3G" connectivity profile
 *       (WPO-Foundation/webpagetest www/settings/connectivity.ini.sample, {@code [3G]}); the ± 30 ms jitter is our
 *       choice (the profile has none).</li>
 *   <li>{@code vsat}: 2 Mbit/s down, 512 kbit/s up, 600 ms RTT ± 50 ms: typical figures for a shared
 *       geostationary VSAT service, not a measurement. The RTT floor is physics: one request/answer crosses the
 *       geostationary hop (35,786 km) four times, 4 × 35,786 km / c ≈ 477 ms, plus modem and ground segment
 *       processing.</li>
 * </ul>
 */
public record Link(long upBytesPerSecond, long downBytesPerSecond, Duration rtt, Duration jitter, long bodyLimit,
                   Duration proxyTimeout, boolean proxyGzip) {

    /** No limits, no delay, no proxy. */
    public static final Link LAN = new Link(0, 0, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, false);
    /** WebPageTest "3G (1.6 Mbps/768 Kbps 300ms RTT)", ± 30 ms jitter. */
    public static final Link THREE_G = new Link(bitsPerSecond(768_000), bitsPerSecond(1_600_000),
            Duration.ofMillis(300), Duration.ofMillis(30), 0, Duration.ZERO, false);
    /** Typical shared geostationary VSAT: 2 Mbit/s down, 512 kbit/s up, 600 ms ± 50 ms. */
    public static final Link VSAT = new Link(bitsPerSecond(512_000), bitsPerSecond(2_000_000),
            Duration.ofMillis(600), Duration.ofMillis(50), 0, Duration.ZERO, false);

    public Link {
        if (upBytesPerSecond < 0 || downBytesPerSecond < 0 || bodyLimit < 0) {
            throw new IllegalArgumentException("link bandwidths and body limit must not be negative");
        }
        if (rtt.isNegative() || jitter.isNegative() || proxyTimeout.isNegative()) {
            throw new IllegalArgumentException("link durations must not be negative");
        }
        if (jitter.compareTo(rtt) > 0) {
            throw new IllegalArgumentException("link jitter (" + jitter.toMillis() + " ms) is larger than the RTT ("
                    + rtt.toMillis() + " ms)");
        }
    }

    /** A link of these bandwidths (bytes per second, 0 = unlimited) and round trip, without jitter or proxy. */
    public static Link of(long upBytesPerSecond, long downBytesPerSecond, Duration rtt) {
        return new Link(upBytesPerSecond, downBytesPerSecond, rtt, Duration.ZERO, 0, Duration.ZERO, false);
    }

    /** A preset by name: {@code lan}, {@code 3g} or {@code vsat}. */
    public static Link preset(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "lan", "none", "" -> LAN;
            case "3g" -> THREE_G;
            case "vsat" -> VSAT;
            default -> throw new IllegalArgumentException("link preset must be lan, 3g or vsat, not '" + name + "'");
        };
    }

    public Link withBandwidth(long upBytesPerSecond, long downBytesPerSecond) {
        return new Link(upBytesPerSecond, downBytesPerSecond, rtt, jitter, bodyLimit, proxyTimeout, proxyGzip);
    }

    public Link withRtt(Duration rtt, Duration jitter) {
        return new Link(upBytesPerSecond, downBytesPerSecond, rtt, jitter, bodyLimit, proxyTimeout, proxyGzip);
    }

    /** nginx {@code client_max_body_size} in bytes (0 = no limit). */
    public Link withBodyLimit(long bytes) {
        return new Link(upBytesPerSecond, downBytesPerSecond, rtt, jitter, bytes, proxyTimeout, proxyGzip);
    }

    /** nginx {@code proxy_read_timeout} (zero = none). */
    public Link withProxyTimeout(Duration timeout) {
        return new Link(upBytesPerSecond, downBytesPerSecond, rtt, jitter, bodyLimit, timeout, proxyGzip);
    }

    /** nginx {@code gzip on} for JSON/XML/text answers when the client accepts gzip. */
    public Link withProxyGzip(boolean gzip) {
        return new Link(upBytesPerSecond, downBytesPerSecond, rtt, jitter, bodyLimit, proxyTimeout, gzip);
    }

    /** Whether a reverse proxy sits in front of the instance (it buffers each request body before passing it on). */
    public boolean proxied() {
        return bodyLimit > 0 || !proxyTimeout.isZero() || proxyGzip;
    }

    /** One line for logs and the control endpoint. */
    public String describe() {
        return "up " + rate(upBytesPerSecond) + ", down " + rate(downBytesPerSecond) + ", RTT " + rtt.toMillis()
                + " ms ± " + jitter.toMillis() + " ms"
                + (bodyLimit > 0 ? ", body limit " + bodyLimit + " B" : "")
                + (proxyTimeout.isZero() ? "" : ", proxy timeout " + proxyTimeout.toMillis() + " ms")
                + (proxyGzip ? ", proxy gzip" : "");
    }

    private static String rate(long bytesPerSecond) {
        return bytesPerSecond == 0 ? "unlimited" : (bytesPerSecond * 8 / 1000) + " kbit/s";
    }

    static long bitsPerSecond(long bits) {
        return bits / 8;
    }

    /** A size as nginx writes it: {@code 10m}, {@code 512k}, {@code 1g} or bytes. */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long factor = 1;
        if (t.endsWith("k")) {
            factor = 1024;
        } else if (t.endsWith("m")) {
            factor = 1024 * 1024;
        } else if (t.endsWith("g")) {
            factor = 1024L * 1024 * 1024;
        }
        String digits = factor == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size (e.g. 10m, 512k, 2048): '" + text + "'");
        }
    }

    /** A duration as {@code 60s}, {@code 500ms}, {@code 2m} or milliseconds. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration (e.g. 60s, 500ms): '" + text + "'");
        }
    }

    /** A bandwidth: {@code 2mbit}, {@code 512kbit}, {@code 250kb} (kilobytes) or bytes per second. */
    public static long parseBandwidth(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("mbit")) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - 4)) * 1_000_000 / 8);
            }
            if (t.endsWith("kbit")) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - 4)) * 1_000 / 8);
            }
            if (t.endsWith("mb")) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - 2)) * 1_000_000);
            }
            if (t.endsWith("kb")) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - 2)) * 1_000);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a bandwidth (e.g. 2mbit, 512kbit, 250kb, 100000): '" + text + "'");
        }
    }
}
