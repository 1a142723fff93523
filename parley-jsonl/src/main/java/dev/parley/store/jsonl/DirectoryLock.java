package dev.parley.store.jsonl;

import dev.parley.StoreException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the store's directory, held while the store is open. The index lives in one
 * process's memory, so a second store over the same files (in this process or another) would work
 * from a stale index and overwrite what the first wrote: it is refused instead.
 */
final class DirectoryLock implements AutoCloseable {
    static final String NAME = ".parley-jsonl.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) {
        Path file = dir.resolve(NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot open lock file " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw closing(channel, new StoreException(dir + " is already open by another JSONL store in this process", e));
        } catch (IOException e) {
            throw closing(channel, new StoreException("cannot lock " + file + ": " + e.getMessage(), e));
        }
        if (lock == null) {
            throw closing(channel, new StoreException(dir + " is in use by another process (it holds " + file + ")"));
        }
        return new DirectoryLock(file, channel, lock);
    }

    private static StoreException closing(FileChannel channel, StoreException failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    @Override
    public void close() {
        try (channel) {
            lock.release();
        } catch (IOException e) {
            throw new StoreException("cannot release the lock on " + file + ": " + e.getMessage(), e);
        }
    }
}
