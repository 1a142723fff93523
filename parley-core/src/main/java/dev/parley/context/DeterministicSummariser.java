package dev.parley.context;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Unicode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A summariser without a model, for tests and offline use: one line per message
 * ({@code role: first words…}, tool calls as {@code name(arguments)}), the newest lines kept when the
 * summary would pass {@code maxChars}. The same messages always give the same summary.
 */
public final class DeterministicSummariser implements Summariser {
    private static final int LINE_CHARS = 80;

    private final int maxChars;

    public DeterministicSummariser() {
        this(2_000);
    }

    public DeterministicSummariser(int maxChars) {
        if (maxChars < LINE_CHARS * 2) {
            throw new InvalidInputException("maxChars", "maxChars must be >= " + LINE_CHARS * 2 + ": " + maxChars);
        }
        this.maxChars = maxChars;
    }

    @Override
    public Summary summarise(List<Message> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidInputException("messages", "there is nothing to summarise");
        }
        Deque<String> lines = new ArrayDeque<>();
        int length = 0;
        int left = 0;
        for (int i = messages.size() - 1; i >= 0; i--) {
            String line = line(messages.get(i));
            if (length + line.length() + 1 > maxChars - LINE_CHARS) {
                left = i + 1;
                break;
            }
            lines.addFirst(line);
            length += line.length() + 1;
        }
        StringBuilder out = new StringBuilder();
        if (left > 0) {
            out.append('(').append(left).append(" earlier messages)\n");
        }
        out.append(String.join("\n", lines));
        return new Summary(out.toString());
    }

    private static String line(Message message) {
        StringBuilder text = new StringBuilder();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t -> text.append(t.text()).append(' ');
                case Part.ToolCall c -> text.append(c.name()).append('(').append(c.arguments()).append(") ");
                case Part.ToolResult r -> text.append(r.isError() ? "error: " : "").append(r.content()).append(' ');
                case Part.ImageRef i -> text.append("[image] ");
                case Part.Opaque o -> {
                }
            }
        }
        String flat = text.toString().replaceAll("\\s+", " ").strip();
        if (flat.length() > LINE_CHARS) {
            flat = Unicode.prefix(flat, LINE_CHARS) + "…";
        }
        return message.role().wireName() + ": " + flat;
    }
}
