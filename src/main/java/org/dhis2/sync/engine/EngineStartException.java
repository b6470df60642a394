package org.dhis2.sync.engine;

/** The engine could not start; the message says why in terms an operator can act on (file and line, key). */
public class EngineStartException extends RuntimeException {
    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
