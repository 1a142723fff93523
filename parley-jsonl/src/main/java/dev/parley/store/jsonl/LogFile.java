package dev.parley.store.jsonl;

import dev.parley.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One append-only JSONL file: durable appends of whole lines, loading with a torn last line cut away,
 * and atomic replacement (for redaction and compaction). Not thread-safe: its owner serialises calls.
 *
 * <p>Each line goes to disk in one positional write followed by {@code force(true)}, always at the end
 * of the bytes known to be good, so a crash can only leave an incomplete <em>last</em> line, and a
 * failed write is cut away before the next one lands.
 */
final class LogFile {
    private static final Logger LOG = LoggerFactory.getLogger(LogFile.class);

    /** Strict reader for lines: trailing garbage after the object makes a line invalid, like a torn one. */
    private static final JsonMapper READER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** Windows cannot open a directory as a channel; NTFS journals the directory change itself. */
    private static final boolean DIRECTORY_FSYNC =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /** What a loaded line is handed to; anything it throws is reported with the file and line number. */
    @FunctionalInterface
    interface LineHandler {
        void line(JsonNode line, int number);
    }

    private final Path path;
    private long size;
    private boolean exists;
    private boolean dirty;

    private LogFile(Path path, long size, boolean exists) {
        this.path = path;
        this.size = size;
        this.exists = exists;
    }

    /** A file that does not exist yet; the first append creates it. */
    static LogFile absent(Path path) {
        return new LogFile(path, 0, false);
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return exists;
    }

    /**
     * Creates the file holding {@code firstLine}, durably (the directory entry included). Returns
     * {@code null}, writing nothing, when a file of that name exists already.
     */
    static LogFile create(Path path, byte[] firstLine) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            try {
                writeFully(channel, firstLine, 0);
                channel.force(true);
            } catch (IOException e) {
                StoreException failure = new StoreException("cannot write " + path + ": " + e.getMessage(), e);
                deleteQuietlyInto(path, failure);
                throw failure;
            }
        } catch (FileAlreadyExistsException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException("cannot create " + path + ": " + e.getMessage(), e);
        }
        syncDirectory(path.getParent());
        return new LogFile(path, firstLine.length, true);
    }

    /** Appends one line (ending in a newline) and returns once it is on disk. On failure nothing was appended. */
    void append(byte[] line) {
        boolean creating = !exists;
        // Only a file not created yet may be created here: a session file deleted behind the store's back
        // must fail the write, not be silently started again without its first line.
        StandardOpenOption[] options = creating
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.WRITE};
        try (FileChannel channel = FileChannel.open(path, options)) {
            reconcile(channel);
            try {
                writeFully(channel, line, size);
                channel.force(true);
            } catch (IOException e) {
                dirty = true;
                StoreException failure = new StoreException("cannot append to " + path + ": " + e.getMessage(), e);
                try {
                    channel.truncate(size);
                    dirty = false;
                } catch (IOException truncation) {
                    failure.addSuppressed(truncation);
                }
                throw failure;
            }
        } catch (IOException e) {
            throw new StoreException("cannot append to " + path + ": " + e.getMessage(), e);
        }
        size += line.length;
        exists = true;
        if (creating) {
            syncDirectory(path.getParent());
        }
    }

    /**
     * Rewrites the file atomically: every line passes through {@code transform}, then {@code extra} lines
     * follow. The new content is written to a temporary file in the same directory, forced, and renamed
     * over the old one, so a reader (or a crash) sees either the old file or the new one.
     */
    void rewrite(UnaryOperator<byte[]> transform, List<byte[]> extra) {
        replaceWith(temp -> {
            try (FileChannel source = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                reconcile(source);
                long[] written = {0};
                scan(Channels.newInputStream(source), (bytes, number, offset, terminated, last) -> {
                    byte[] out = withNewline(transform.apply(bytes));
                    writeFully(temp, out, written[0]);
                    written[0] += out.length;
                });
                for (byte[] line : extra) {
                    writeFully(temp, line, written[0]);
                    written[0] += line.length;
                }
                return written[0];
            }
        });
    }

    /** Cuts away what a failed write left behind; refuses to touch a file someone else changed. */
    private void reconcile(FileChannel channel) throws IOException {
        long found = channel.size();
        if (found == size) {
            return;
        }
        if (!(dirty && found > size)) {
            throw new StoreException(path + " was changed outside the store (expected " + size + " bytes, found "
                    + found + "); close the store before editing its files");
        }
        channel.truncate(size);
        dirty = false;
    }

    /** Replaces the whole file, atomically, with {@code lines} (each ending in a newline). */
    void replace(List<byte[]> lines) {
        replaceWith(temp -> {
            long written = 0;
            for (byte[] line : lines) {
                writeFully(temp, line, written);
                written += line.length;
            }
            return written;
        });
    }

    /** Deletes the file durably; deleting a file that is not there is not an error. */
    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new StoreException("cannot delete " + path + ": " + e.getMessage(), e);
        }
        syncDirectory(path.getParent());
        exists = false;
        size = 0;
    }

    @FunctionalInterface
    private interface Body {
        long write(FileChannel temp) throws IOException;
    }

    private void replaceWith(Body body) {
        Path temp = temporaryFor(path);
        long written;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            written = body.write(channel);
            channel.force(true);
        } catch (IOException e) {
            StoreException failure = new StoreException("cannot rewrite " + path + " (via " + temp.getFileName() + "): "
                    + e.getMessage(), e);
            deleteQuietlyInto(temp, failure);
            throw failure;
        }
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            StoreException failure = new StoreException("cannot replace " + path + " by " + temp.getFileName() + ": "
                    + e.getMessage(), e);
            deleteQuietlyInto(temp, failure);
            throw failure;
        }
        syncDirectory(path.getParent());
        size = written;
        exists = true;
        dirty = false;
    }

    /** The temporary file a rewrite of {@code file} goes through; never a name a log can have. */
    static Path temporaryFor(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    static boolean isTemporary(Path file) {
        return file.getFileName().toString().endsWith(".jsonl.tmp");
    }

    // ---- loading -------------------------------------------------------------------------------------

    /**
     * Loads a file line by line. An incomplete last line (no newline, or not valid JSON) is what an
     * interrupted append leaves: it was never acknowledged, so it is ignored and cut away, with a
     * warning. Any other bad line is corruption and fails with the file and line number. A file that
     * does not exist loads as empty.
     */
    static LogFile load(Path path, LineHandler handler) {
        long[] torn = {-1};
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            scan(Channels.newInputStream(channel), (bytes, number, offset, terminated, last) -> {
                JsonNode node = terminated ? parse(bytes) : null;
                if (node == null) {
                    if (last) {
                        torn[0] = offset;
                        return;
                    }
                    throw new StoreException(path + " line " + number + " is not a JSON object: the file is corrupt");
                }
                try {
                    handler.line(node, number);
                } catch (StoreException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new StoreException(path + " line " + number + ": " + e.getMessage(), e);
                }
            });
            if (torn[0] >= 0) {
                long cut = channel.size() - torn[0];
                channel.truncate(torn[0]);
                channel.force(true);
                LOG.warn("{}: ignored and removed an incomplete last line ({} bytes) left by an interrupted write", path, cut);
            }
            return new LogFile(path, torn[0] >= 0 ? torn[0] : channel.size(), true);
        } catch (NoSuchFileException e) {
            return absent(path);
        } catch (IOException e) {
            throw new StoreException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = READER.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface RawLine {
        /** {@code offset} is where the line starts; {@code last} whether no non-blank line follows. */
        void accept(byte[] bytes, int number, long offset, boolean terminated, boolean last) throws IOException;
    }

    /** Splits a stream into lines, skipping blank ones, and tells each line whether it is the last. */
    private static void scan(InputStream in, RawLine sink) throws IOException {
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        long position = 0;
        long currentStart = 0;
        int number = 0;
        byte[] held = null;
        int heldNumber = 0;
        long heldOffset = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    current.write(buffer, start, i - start);
                    number++;
                    byte[] line = current.toByteArray();
                    if (!isBlank(line)) {
                        if (held != null) {
                            sink.accept(held, heldNumber, heldOffset, true, false);
                        }
                        held = line;
                        heldNumber = number;
                        heldOffset = currentStart;
                    }
                    current.reset();
                    start = i + 1;
                    currentStart = position + i + 1;
                }
            }
            current.write(buffer, start, n - start);
            position += n;
        }
        byte[] rest = current.toByteArray();
        boolean tail = !isBlank(rest);
        if (held != null) {
            sink.accept(held, heldNumber, heldOffset, true, !tail);
        }
        if (tail) {
            sink.accept(rest, number + 1, currentStart, false, true);
        }
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    // ---- low level ------------------------------------------------------------------------------------

    /** One write call in practice; the loop only guards against a short write the platform is allowed to make. */
    private static void writeFully(FileChannel channel, byte[] bytes, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static byte[] withNewline(byte[] line) {
        byte[] out = new byte[line.length + 1];
        System.arraycopy(line, 0, out, 0, line.length);
        out[line.length] = '\n';
        return out;
    }

    /** Makes a created, renamed or deleted directory entry durable. */
    static void syncDirectory(Path dir) {
        if (!DIRECTORY_FSYNC) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StoreException("cannot sync directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietlyInto(Path file, StoreException failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
