package org.dhis2.sync.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** The folder sync.pairs.dir: one {@code <pair>.properties} per sync pair, its keys without the pair prefix. */
final class PairFiles {

    private PairFiles() {
    }

    static void load(Path dir, Properties into) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(List.of("sync.pairs.dir: not a folder: " + dir.toAbsolutePath()));
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".properties")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(List.of("sync.pairs.dir: cannot list " + dir + ": " + e.getMessage()));
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.properties$", "");
            Properties pair = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                pair.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(List.of("sync.pairs.dir: cannot read " + file + ": " + e.getMessage()));
            }
            pair.forEach((k, v) -> into.setProperty(PairConfigs.PREFIX + name + "." + k, v.toString().trim()));
        }
    }
}
