package org.dhis2.sync.sandbox;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tracked entity attribute's TextPattern ({@code "ABC" + RANDOM(X##) + "-" + ORG_UNIT_CODE(...)}): segments
 * joined by {@code +}; exactly one generated segment (RANDOM or SEQUENTIAL), as DHIS2 requires (E4021).
 * The generated segment's values are numbered 0..capacity-1 so that free values can be found by probing.
 */
final class ReservedValuePattern {

    enum Kind { TEXT, RANDOM, SEQUENTIAL, ORG_UNIT_CODE, CURRENT_DATE }

    record Segment(Kind kind, String raw, String format) {
    }

    private static final Pattern METHOD = Pattern.compile("^(RANDOM|SEQUENTIAL|ORG_UNIT_CODE|CURRENT_DATE)\\((.*)\\)$");
    private static final String DIGITS = "0123456789";
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String ALNUM = DIGITS + UPPER + LOWER;

    private final String text;
    private final List<Segment> segments;
    private final Segment generated;

    private ReservedValuePattern(String text, List<Segment> segments, Segment generated) {
        this.text = text;
        this.segments = segments;
        this.generated = generated;
    }

    /** Parses a pattern; a malformed one is a pattern generation error (HTTP 500 in DHIS2). */
    static ReservedValuePattern parse(String text) {
        List<Segment> segments = new ArrayList<>();
        Segment generated = null;
        for (String part : splitOutsideQuotes(text)) {
            String s = part.trim();
            Segment seg;
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
                seg = new Segment(Kind.TEXT, s, s.substring(1, s.length() - 1).replace("\\\"", "\""));
            } else {
                Matcher m = METHOD.matcher(s);
                if (!m.matches()) {
                    throw Dhis2Exception.internal("Failed to parse pattern `" + text + "`. Unknown segment `" + s + "`");
                }
                seg = new Segment(Kind.valueOf(m.group(1)), s, m.group(2));
                // TextPatternMethod: RANDOM([#Xx*]{1,12}), SEQUENTIAL(#{1,12}), ORG_UNIT_CODE() or (^...$),
                // CURRENT_DATE(any format)
                if (seg.kind() == Kind.RANDOM && !seg.format().matches("[#Xx*]{1,12}")
                        || seg.kind() == Kind.SEQUENTIAL && !seg.format().matches("#{1,12}")
                        || seg.kind() == Kind.ORG_UNIT_CODE && !seg.format().matches("|\\^?\\.+\\$?")
                        || seg.kind() == Kind.CURRENT_DATE && seg.format().isEmpty()) {
                    throw Dhis2Exception.internal("Failed to parse pattern `" + text + "`. Invalid format `" + s + "`");
                }
            }
            if (seg.kind() == Kind.RANDOM || seg.kind() == Kind.SEQUENTIAL) {
                if (generated != null) {
                    throw Dhis2Exception.internal(
                            "ID-pattern is required to have 1 generated segment (RANDOM or SEQUENTIAL).");
                }
                generated = seg;
            }
            segments.add(seg);
        }
        if (generated == null) {
            throw Dhis2Exception.internal("ID-pattern is required to have 1 generated segment (RANDOM or SEQUENTIAL).");
        }
        return new ReservedValuePattern(text, List.copyOf(segments), generated);
    }

    private static List<String> splitOutsideQuotes(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == '+' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    String text() {
        return text;
    }

    boolean sequential() {
        return generated.kind() == Kind.SEQUENTIAL;
    }

    boolean needsOrgUnitCode() {
        return segments.stream().anyMatch(s -> s.kind() == Kind.ORG_UNIT_CODE);
    }

    /** {@code /requiredValues}: what the client must send (REQUIRED) and what the server generates (OPTIONAL). */
    List<String> required() {
        return segments.stream().filter(s -> s.kind() == Kind.ORG_UNIT_CODE).map(s -> s.kind().name()).distinct().toList();
    }

    List<String> optional() {
        return List.of(generated.kind().name());
    }

    /**
     * The reservation key: the pattern with every segment but the generated one resolved
     * (DHIS2: {@code RANDOM(X)-OSL} for {@code RANDOM(X) + "-" + ORG_UNIT_CODE(...)} at org unit OSLO).
     */
    String key(String orgUnitCode, LocalDate today) {
        StringBuilder key = new StringBuilder();
        for (Segment s : segments) {
            key.append(s == generated ? s.raw() : resolve(s, orgUnitCode, today, null));
        }
        return key.toString();
    }

    String value(String orgUnitCode, LocalDate today, long index) {
        StringBuilder value = new StringBuilder();
        for (Segment s : segments) {
            value.append(resolve(s, orgUnitCode, today, index));
        }
        return value.toString();
    }

    /** How many distinct values the generated segment has (SEQUENTIAL starts at 1, so ### gives 001..999). */
    long capacity() {
        long capacity = 1;
        for (char c : generated.format().toCharArray()) {
            long radix = sequential() ? 10 : alphabet(c).length();
            if (capacity > Long.MAX_VALUE / radix) {
                return Long.MAX_VALUE;
            }
            capacity *= radix;
        }
        return sequential() ? capacity - 1 : capacity;
    }

    private String resolve(Segment s, String orgUnitCode, LocalDate today, Long index) {
        return switch (s.kind()) {
            case TEXT -> s.format();
            case ORG_UNIT_CODE -> orgUnitCode(s.format(), orgUnitCode == null ? "" : orgUnitCode);
            case CURRENT_DATE -> DateTimeFormatter.ofPattern(s.format()).format(today);
            case RANDOM -> random(s.format(), index);
            case SEQUENTIAL -> String.format("%0" + s.format().length() + "d", index + 1);
        };
    }

    /** {@code ...} or {@code ^...}: the first n characters; {@code ...$}: the last n. */
    private static String orgUnitCode(String format, String code) {
        int n = format.replace("^", "").replace("$", "").length();
        if (n == 0 || n >= code.length()) {
            return code;
        }
        return format.endsWith("$") && !format.startsWith("^") ? code.substring(code.length() - n) : code.substring(0, n);
    }

    private static String random(String format, long index) {
        char[] out = new char[format.length()];
        long rest = index;
        for (int i = format.length() - 1; i >= 0; i--) {
            String alphabet = alphabet(format.charAt(i));
            out[i] = alphabet.charAt((int) (rest % alphabet.length()));
            rest /= alphabet.length();
        }
        return new String(out);
    }

    private static String alphabet(char c) {
        return switch (c) {
            case '#' -> DIGITS;
            case 'X' -> UPPER;
            case 'x' -> LOWER;
            default -> ALNUM;
        };
    }
}
