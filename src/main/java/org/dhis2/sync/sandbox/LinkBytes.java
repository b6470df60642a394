package org.dhis2.sync.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;

/** Sizes of HTTP/1.1 request and response heads as they go over the wire (approximate: header order aside, exact). */
final class LinkBytes {

    private LinkBytes() {
    }

    /** {@code METHOD /path?query HTTP/1.1\r\n}, each header line, the empty line. */
    static long requestHead(HttpExchange exchange) {
        return exchange.getRequestMethod().length() + 1 + exchange.getRequestURI().toString().length()
                + " HTTP/1.1\r\n".length() + headers(exchange.getRequestHeaders()) + 2;
    }

    /** {@code HTTP/1.1 200 OK\r\n} (reason phrase approximated), each header line, the empty line; 0 before an answer. */
    static long responseHead(HttpExchange exchange) {
        if (exchange.getResponseCode() < 0) {
            return 0;
        }
        return "HTTP/1.1 200 OK\r\n".length() + headers(exchange.getResponseHeaders()) + 2;
    }

    private static long headers(Headers headers) {
        long size = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                size += header.getKey().length() + 2 + (value == null ? 0 : value.length()) + 2;
            }
        }
        return size;
    }
}
