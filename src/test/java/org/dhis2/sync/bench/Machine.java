package org.dhis2.sync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a figure was measured on: cores, memory, JVM, and the load average at the time (the machine is shared). */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return String.format("machine: %d cores, %s MB memory, %s %s (%s), max heap %d MB, load %s",
                Runtime.getRuntime().availableProcessors(), procField("/proc/meminfo", "MemTotal:") / 1024,
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() >> 20, load());
    }

    /** The 1, 5 and 15 minute load averages. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU time this JVM has used so far (all threads), in milliseconds. */
    static long cpuMillis() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1_000_000 : -1;
    }

    /** CPU time (user + system) another process has used so far, in milliseconds; -1 when unreadable. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime in ticks of 10 ms
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A numeric field (kB) of a /proc file such as /proc/self/status VmHWM; -1 when unreadable. */
    static long procField(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
