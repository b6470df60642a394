package org.dhis2.sync.sandbox;

import java.io.IOException;

/** One emulated endpoint. Throw {@link Dhis2Exception} for DHIS2's error answers. */
@FunctionalInterface
public interface Handler {
    void handle(SandboxRequest request, SandboxResponse response) throws IOException;
}
