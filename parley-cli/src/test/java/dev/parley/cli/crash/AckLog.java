package dev.parley.cli.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The acks a writer printed, read from the file its stdout is redirected to. A file rather than a
 * pipe, because when a child dies the JDK drains and closes its stdout pipe under a thread blocked
 * reading it ("Stream closed"), and acks in flight would be lost. Only complete lines are taken, so
 * a line still being written is read on the next call.
 */
final class AckLog {
    private static final Pattern ACK = Pattern.compile("ack (\\S+) (\\S+) (\\d+) (\\S+)");
    private static final long POLL_MILLIS = 20;

    private final Path file;
    private long position;
    private final List<Ack> acks = new ArrayList<>();
    private final List<String> malformed = new ArrayList<>();

    AckLog(Path file) {
        this.file = file;
    }

    /**
     * Reads until at least {@code wanted} acks are in, the writer has died, or {@code boundMillis} passed
     * (a bound for a stuck writer, not a measurement). Polls, since a growing file cannot be waited on.
     */
    boolean awaitAcks(int wanted, Process writer, long boundMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + boundMillis * 1_000_000;
        while (true) {
            readNew();
            if (acks.size() >= wanted) {
                return true;
            }
            if (!writer.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Takes every complete line appended since the last call. */
    void readNew() throws IOException {
        byte[] added;
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            if (size <= position) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - position));
            channel.position(position);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until the buffer holds everything up to the size seen above
            }
            added = buffer.array();
        }
        int end = lastNewline(added);
        if (end < 0) {
            return;
        }
        position += end + 1;
        for (String line : new String(added, 0, end, StandardCharsets.UTF_8).split("\n", -1)) {
            Matcher m = ACK.matcher(line);
            if (m.matches()) {
                acks.add(new Ack(m.group(1), m.group(2), Long.parseLong(m.group(3)), m.group(4)));
            } else {
                malformed.add(line);
            }
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    List<String> malformed() {
        return List.copyOf(malformed);
    }
}
