package org.dhis2.sync.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The live heap by class (the JVM's GC.class_histogram, a full GC first), and what grew between two of them: where
 * a benchmark's memory goes.
 */
final class HeapHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    /** Class name → {instances, bytes}. */
    final Map<String, long[]> classes = new HashMap<>();

    static HeapHistogram take() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        HeapHistogram h = new HeapHistogram();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                h.classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return h;
    }

    /** The classes that grew most from {@code before}, per unit (e.g. per pair added), largest first. */
    String growthPer(HeapHistogram before, int units, int top) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        classes.forEach((name, now) -> {
            long[] was = before.classes.getOrDefault(name, new long[2]);
            grown.add(Map.entry(name, new long[] {now[0] - was[0], now[1] - was[1]}));
        });
        grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        StringBuilder out = new StringBuilder(String.format("%12s %12s  %s%n", "bytes/unit", "objects/unit", "class"));
        grown.stream().limit(top).forEach(e -> out.append(String.format("%12d %12d  %s%n",
                e.getValue()[1] / units, e.getValue()[0] / units, e.getKey())));
        return out.toString();
    }
}
