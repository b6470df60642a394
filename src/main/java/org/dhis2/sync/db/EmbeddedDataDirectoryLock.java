package org.dhis2.sync.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One engine per embedded data directory: an OS file lock on {@code <dataDir>.lock} beside the data directory
 * (PostgreSQL wants the data directory itself to hold only its own files), held for the engine's life. The OS drops
 * it when the process dies, even by SIGKILL, so a lock that can be taken means no live engine uses the directory.
 */
final class EmbeddedDataDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private EmbeddedDataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFile(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".lock");
    }

    /** Takes the lock, or fails naming the directory and the process that holds it. */
    static EmbeddedDataDirectoryLock acquire(Path dataDir) throws IOException {
        Path file = lockFile(dataDir);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IllegalStateException("the data directory " + dataDir.toAbsolutePath().normalize()
                    + " is in use by another dhis2-sync engine" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + "; stop it, or give this one its own sync.db.embedded.dataDir");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid())
                .getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
        return new EmbeddedDataDirectoryLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the process anyway
        }
    }
}
