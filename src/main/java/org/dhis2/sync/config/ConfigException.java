package org.dhis2.sync.config;

import java.util.List;

/** Invalid configuration: every problem names the key it is about. Never contains a secret's value. */
public class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("Invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
