package dev.parley.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The header of SQLite's WAL index (the database's {@code -shm} file), read through a memory map: it tells, without a
 * system call or a transaction, whether any connection of any process has committed since a moment we noted. SQLite
 * documents the layout (https://www.sqlite.org/walformat.html, "The WAL-Index Header"): a format version, then
 * {@code iChange}, "incremented with each transaction", and {@code mxFrame}, the last valid frame of the log, in the
 * host's byte order. The map only reads; SQLite alone writes the file.
 *
 * <p>Without one (another journal mode, a file that cannot be mapped) the store still works; its reads all go to
 * the file, and a warning says why.
 *
 * <p>Safe to read while a connection of ours holds the file open: SQLite truncates the file only when it is the first
 * connection to open it, and a stale mapping is never read after the store closes.
 */
final class WalIndex {
    private static final Logger LOG = LoggerFactory.getLogger(WalIndex.class);
    /** What {@link #state()} returns when the header cannot be read as a known, initialised header. */
    static final long UNKNOWN = -1;

    private static final int FORMAT_VERSION = 3007000;
    private static final int HEADER_BYTES = 48;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer header;

    private WalIndex(MappedByteBuffer header) {
        this.header = header;
    }

    /** The WAL index of the database {@code file}, if it has one that can be mapped (a WAL-mode file on a local disk). */
    static Optional<WalIndex> of(Path file) {
        Path shm = file.resolveSibling(file.getFileName() + "-shm");
        try (FileChannel channel = FileChannel.open(shm, StandardOpenOption.READ)) {
            if (channel.size() < HEADER_BYTES) {
                LOG.warn("{}: {} is too short for a WAL index header; every read goes to the file", file, shm);
                return Optional.empty();
            }
            WalIndex index = new WalIndex(channel.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_BYTES));
            if (index.state() == UNKNOWN) {
                LOG.warn("{}: the WAL index header in {} is not one this version knows; every read goes to the file", file, shm);
                return Optional.empty();
            }
            return Optional.of(index);
        } catch (IOException e) {
            LOG.warn("{}: cannot map the WAL index {} ({}); every read goes to the file", file, shm, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The commit counter (31 bits) and the log's last frame, as one value that changes with every commit; never
     * negative. {@link #UNKNOWN} if the header is not (or no longer) one this class knows.
     */
    long state() {
        int version = (int) INT.getAcquire(header, 0);
        int change = (int) INT.getAcquire(header, 8);
        int lastFrame = (int) INT.getAcquire(header, 16);
        if (version != FORMAT_VERSION || header.get(12) != 1) {
            return UNKNOWN;
        }
        return ((change & 0x7fff_ffffL) << 32) | (lastFrame & 0xffff_ffffL);
    }

    /** The commit counter alone, as {@link #state()} holds it. */
    static long changeOf(long state) {
        return state >>> 32;
    }
}
