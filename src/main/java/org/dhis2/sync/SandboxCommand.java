package org.dhis2.sync;

import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;

/** {@code dhis2-sync sandbox}: an emulated DHIS2 pair with generated data and the engine running against it. */
final class SandboxCommand {

    private SandboxCommand() {
    }

    static int run(Properties properties, Map<String, String> options, PrintStream out, PrintStream err) {
        err.println("The sandbox command is not available yet.");
        return 1;
    }
}
