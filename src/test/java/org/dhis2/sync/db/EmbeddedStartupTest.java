package org.dhis2.sync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dhis2.sync.engine.EngineStartException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up of the embedded bookkeeping database after whatever the last run left behind. */
class EmbeddedStartupTest {

    @TempDir
    Path temp;
    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    /** Starts {@link HoldBookkeepingDatabase} in a child JVM and waits for its READY line. */
    private Process holdInChild(Path dataDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldBookkeepingDatabase.class.getName(),
                dataDir.toString()).redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            seen.append(line).append('\n');
            if (line.equals("READY")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the child did not open the database:\n" + seen);
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    private static String show(BookkeepingDatabase db, String setting) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int heldRuns(BookkeepingDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from job_run where job_id like 'held-%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void durableByDefaultAndFastOnlyWhenAskedFor() throws Exception {
        try (BookkeepingDatabase db = BookkeepingDatabase.open(HoldBookkeepingDatabase.settings(temp.resolve("pg"),
                true))) {
            assertThat(show(db, "fsync")).isEqualTo("on");
            assertThat(show(db, "synchronous_commit")).isEqualTo("on");
            assertThat(show(db, "full_page_writes")).isEqualTo("on");
        }
        try (BookkeepingDatabase db = BookkeepingDatabase.open(HoldBookkeepingDatabase.settings(temp.resolve("pg"),
                false))) {
            assertThat(show(db, "fsync")).isEqualTo("off");
            assertThat(show(db, "synchronous_commit")).isEqualTo("off");
        }
    }

    @Test
    void thePostmasterOfAKilledEngineIsStoppedAndItsDataKept() throws Exception {
        Path dataDir = temp.resolve("pg");
        child = holdInChild(dataDir);
        long orphan = postmasterPid(dataDir);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("postmaster outlives the engine")
                .contains(true);

        try (BookkeepingDatabase db = BookkeepingDatabase.open(HoldBookkeepingDatabase.settings(dataDir, true))) {
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(postmasterPid(dataDir)).isNotEqualTo(orphan);
            assertThat(heldRuns(db)).as("what the killed engine committed").isEqualTo(1);
        }
    }

    @Test
    void aSecondEngineOnTheSameDataDirectoryGetsAClearError() throws Exception {
        Path dataDir = temp.resolve("pg");
        child = holdInChild(dataDir);
        long serving = postmasterPid(dataDir);
        assertThatThrownBy(() -> BookkeepingDatabase.open(HoldBookkeepingDatabase.settings(dataDir, true)))
                .isInstanceOf(EngineStartException.class)
                .hasMessageContaining("is in use by another dhis2-sync engine (pid " + child.pid() + ")")
                .hasMessageContaining(dataDir.toString());
        assertThat(ProcessHandle.of(serving).map(ProcessHandle::isAlive)).as("the running engine's database")
                .contains(true);
    }

    @Test
    void halfUnpackedBinariesFromAnInterruptedFirstStartAreUnpackedAgain() throws Exception {
        Path dataDir = temp.resolve("site/pg");
        Path binaries = temp.resolve("site/pg-binaries");
        copyPartially(unpackedSomewhere(), binaries);
        assertThat(EmbeddedBinaries.unpacked(binaries, false)).as("a half-unpacked folder").hasSize(1);

        child = holdInChild(dataDir); // a fresh JVM, as after the interrupted start
        assertThat(EmbeddedBinaries.unpacked(binaries, false)).isEmpty();
        assertThat(EmbeddedBinaries.unpacked(binaries, true)).hasSize(1);
        assertThat(Files.exists(binaries.resolveSibling("pg-binaries.unpacking"))).isFalse();
    }

    /** The complete PG-* folder whose binaries run this JVM's embedded PostgreSQL (from the postmaster's exe). */
    private Path unpackedSomewhere() throws Exception {
        Path dataDir = temp.resolve("first/pg");
        try (BookkeepingDatabase db = BookkeepingDatabase.open(HoldBookkeepingDatabase.settings(dataDir, false))) {
            Path exe = Path.of("/proc", String.valueOf(postmasterPid(dataDir)), "exe").toRealPath();
            Path folder = exe.getParent().getParent();
            assertThat(folder.getFileName().toString()).startsWith("PG-");
            assertThat(folder.resolve(".exists")).exists();
            return folder;
        }
    }

    /**
     * What an interrupted unpack leaves: no marker, the shared files not yet there, and symbolic links whose targets
     * were not written yet (the archive holds a link before its target; a dangling link is what made every later
     * unpack fail with FileAlreadyExistsException).
     */
    private static void copyPartially(Path completeFolder, Path binaries) throws IOException {
        Path target = binaries.resolve(completeFolder.getFileName());
        List<Path> files;
        try (Stream<Path> all = Files.walk(completeFolder)) {
            files = all.sorted().toList();
        }
        java.util.Set<Path> linkTargets = new java.util.HashSet<>();
        for (Path f : files) {
            if (Files.isSymbolicLink(f)) {
                linkTargets.add(f.resolveSibling(Files.readSymbolicLink(f)).normalize());
            }
        }
        assertThat(linkTargets).as("the binaries hold symbolic links").isNotEmpty();
        for (Path f : files) {
            Path relative = completeFolder.relativize(f);
            if (relative.startsWith("share") || f.getFileName().toString().equals(".exists")
                    || f.getFileName().toString().equals("epg-lock")
                    || linkTargets.contains(f.normalize()) && !Files.isSymbolicLink(f)) {
                continue;
            }
            Path to = target.resolve(relative.toString());
            if (Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(to);
            } else {
                Files.createDirectories(to.getParent());
                Files.copy(f, to, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
