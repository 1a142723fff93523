package dev.parley.models.internal;

import java.util.Optional;

/**
 * Assembles server-sent events from lines (the text/event-stream framing): {@code field: value} lines, an
 * empty line ends an event, lines starting with {@code :} are comments. {@code id} and {@code retry} fields
 * are not used by model APIs and are ignored.
 */
public final class SseParser {
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private String event;
    private StringBuilder data;
    private boolean started;

    /** Feeds one line (without its terminator); returns the event it completed, if any. */
    public Optional<SseEvent> line(String line) {
        if (!started) {
            started = true;
            // The event-stream format lets a stream begin with a byte order mark; left in, it would hide the first field.
            if (!line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return flush();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
            }
        }
        return Optional.empty();
    }

    /** Ends the input: an event not yet terminated by an empty line is still delivered. */
    public Optional<SseEvent> flush() {
        if (data == null) {
            event = null;
            return Optional.empty();
        }
        SseEvent done = new SseEvent(event, data.toString());
        event = null;
        data = null;
        return Optional.of(done);
    }
}
