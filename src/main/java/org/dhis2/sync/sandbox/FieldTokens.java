package org.dhis2.sync.sandbox;

import java.util.ArrayList;
import java.util.List;

/** The top-level parts of a DHIS2 {@code fields} selector: {@code a,b[c,d],!e} gives {@code a}, {@code b[c,d]}, {@code !e}. */
final class FieldTokens {

    private FieldTokens() {
    }

    static List<String> split(String selector) {
        List<String> tokens = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= selector.length(); i++) {
            char c = i < selector.length() ? selector.charAt(i) : ',';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String token = selector.substring(start, i).trim();
                start = i + 1;
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }
}
