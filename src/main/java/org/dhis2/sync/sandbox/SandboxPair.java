package org.dhis2.sync.sandbox;

import java.io.IOException;

/** A local and a central emulated DHIS2, each on its own loopback port. */
public final class SandboxPair implements AutoCloseable {

    private final SandboxServer local;
    private final SandboxServer central;

    private SandboxPair(SandboxServer local, SandboxServer central) {
        this.local = local;
        this.central = central;
    }

    /** Starts an empty pair of the given versions (use a generator to fill them). */
    public static SandboxPair start(Dhis2Version localVersion, Dhis2Version centralVersion) throws IOException {
        return start(localVersion, centralVersion, 0, 0);
    }

    /** Starts an empty pair on the given loopback ports (0 = any free port). */
    public static SandboxPair start(Dhis2Version localVersion, Dhis2Version centralVersion, int localPort,
                                    int centralPort) throws IOException {
        SandboxServer local = SandboxServer.start(new Dhis2Instance("local", localVersion), localPort);
        try {
            return new SandboxPair(local,
                    SandboxServer.start(new Dhis2Instance("central", centralVersion), centralPort));
        } catch (IOException | RuntimeException e) {
            local.close();
            throw e;
        }
    }

    public SandboxServer localServer() {
        return local;
    }

    public SandboxServer centralServer() {
        return central;
    }

    public Dhis2Instance local() {
        return local.instance();
    }

    public Dhis2Instance central() {
        return central.instance();
    }

    @Override
    public void close() {
        local.close();
        central.close();
    }
}
