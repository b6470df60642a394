package org.dhis2.sync.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/** DHIS2-style paging of the admin API's lists: {@code page} from 1, {@code pageSize} 1..1000 (default 50). */
public record Paging(int page, int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 1000;

    /** From the query parameters as received (null when absent); a bad value is a 400 naming the parameter. */
    public static Paging of(String page, String pageSize) {
        return new Paging(number("page", page, 1, 1, Integer.MAX_VALUE),
                number("pageSize", pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE));
    }

    public long offset() {
        return (long) (page - 1) * pageSize;
    }

    /** DHIS2's pager object: page, pageSize, total, pageCount. */
    public Map<String, Object> pager(long total) {
        Map<String, Object> pager = new LinkedHashMap<>();
        pager.put("page", page);
        pager.put("pageSize", pageSize);
        pager.put("total", total);
        pager.put("pageCount", (total + pageSize - 1) / pageSize);
        return pager;
    }

    private static int number(String name, String value, int absent, int min, int max) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw AdminApiException.badParameter(name, "must be from " + min + " to " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw AdminApiException.badParameter(name, "must be a whole number from " + min + " to " + max);
        }
    }
}
