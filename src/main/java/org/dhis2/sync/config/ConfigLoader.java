package org.dhis2.sync.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the engine's properties: built-in defaults, then the configuration file, then environment variables,
 * then explicit overrides (command line, tests). An environment variable overrides a key when its name is the key
 * in upper case with every character other than a letter or digit replaced by '_':
 * {@code sync.dataValues.pageSize} ← {@code SYNC_DATAVALUES_PAGESIZE},
 * {@code metadata.sync.retry.time.frequency.millisec} ← {@code METADATA_SYNC_RETRY_TIME_FREQUENCY_MILLISEC}.
 * The same name with {@code _FILE} appended names a file holding the value (the container convention for secrets,
 * e.g. {@code CENTRAL_PASSWORD_FILE=/run/secrets/central}). Sync pairs may also come one file per pair from the
 * folder {@code sync.pairs.dir}: {@code <name>.properties} holds the keys of pair {@code <name>} without their
 * {@code pair.<name>.} prefix.
 */
public final class ConfigLoader {

    /** The shipped config/application.properties, packaged into the jar: every key and its default. */
    static final String DEFAULTS = "/config/application.properties";

    private ConfigLoader() {
    }

    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public static Properties load(Path configFile, Map<String, String> environment, Map<String, String> overrides) {
        Properties merged = new Properties();
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in != null) {
                merged.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in defaults " + DEFAULTS, e);
        }
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigException(List.of("--config: file not found: " + configFile.toAbsolutePath()));
            }
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                Properties file = new Properties();
                file.load(reader);
                file.forEach((k, v) -> merged.setProperty(k.toString(), v.toString().trim()));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(List.of("--config: cannot read " + configFile + ": " + e.getMessage()));
            }
        }
        String pairsDir = overrides.getOrDefault("sync.pairs.dir", environment.getOrDefault(
                environmentName("sync.pairs.dir"), merged.getProperty("sync.pairs.dir", ""))).trim();
        if (!pairsDir.isEmpty()) {
            PairFiles.load(configFile == null ? Path.of(pairsDir)
                    : configFile.toAbsolutePath().getParent().resolve(pairsDir), merged);
        }
        for (String key : merged.stringPropertyNames()) {
            String fromEnv = environment.get(environmentName(key));
            if (fromEnv != null) {
                merged.setProperty(key, fromEnv.trim());
            }
            String file = environment.get(environmentName(key) + "_FILE");
            if (file != null) {
                merged.setProperty(key, secretFile(environmentName(key) + "_FILE", file.trim()));
            }
        }
        overrides.forEach(merged::setProperty);
        return merged;
    }

    /** The value in the file an {@code ..._FILE} variable names, without its final line break. */
    private static String secretFile(String variable, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException | RuntimeException e) {
            // the message names the variable and the file, never a value
            throw new ConfigException(List.of(variable + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")"));
        }
    }
}
