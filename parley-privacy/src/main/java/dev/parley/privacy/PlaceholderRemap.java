package dev.parley.privacy;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.privacy.internal.Placeholders;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Re-expresses sanitised text written against one book ({@code from}) in the placeholders of another ({@code to}),
 * token by token, without running the detectors again: a value keeps exactly the spans it had, so nothing that was
 * hidden can come back into the open. A placeholder that moves gets {@code to}'s placeholder for the same value (an
 * existing one when {@code to} already knows the value). Placeholder-shaped text that stands for nothing, such as a
 * literal the user typed, stays literal: reserved in {@code to}, or escaped as {@code <LITERAL_n>} when {@code to}
 * already issued it.
 */
final class PlaceholderRemap {
    private final VaultPlaceholderBook from;
    private final PlaceholderBook to;
    private final Set<String> moving;

    /**
     * @param moving the placeholders of {@code from} to move; {@code null} moves all of them. Any other placeholder
     *               {@code from} holds is left as it is ({@code to} holds it too)
     */
    PlaceholderRemap(VaultPlaceholderBook from, PlaceholderBook to, Set<String> moving) {
        this.from = from;
        this.to = to;
        this.moving = moving;
    }

    String text(String text) {
        int lt = text.indexOf('<');
        if (lt < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int copied = 0;
        while (lt >= 0) {
            int end = Placeholders.endOfPlaceholderAt(text, lt);
            if (end < 0) {
                lt = text.indexOf('<', lt + 1);
                continue;
            }
            out.append(text, copied, lt).append(replacement(text.substring(lt, end)));
            copied = end;
            lt = text.indexOf('<', end);
        }
        return out.append(text, copied, text.length()).toString();
    }

    private String replacement(String token) {
        boolean moves = moving == null ? from.holds(token) : moving.contains(token);
        if (!moves) {
            return from.holds(token) ? token : literal(token);
        }
        return from.mapping(token)
                .map(m -> to.placeholderFor(m.type(), m.key(), m.original()).placeholder())
                .orElseGet(() -> literal(token));
    }

    private String literal(String token) {
        if (to.originalOf(token).isPresent()) {
            return to.placeholderFor(EntityType.LITERAL, token, token).placeholder();
        }
        to.reserve(token);
        return token;
    }

    Message message(Message message) {
        return mapTexts(message, this::text);
    }

    Payload payload(Payload payload) {
        return switch (payload) {
            case Payload.MessagePayload m -> new Payload.MessagePayload(message(m.message()));
            case Payload.SummaryPayload s -> new Payload.SummaryPayload(text(s.text()), s.from(), s.to());
            default -> payload;
        };
    }

    /**
     * {@code message} with {@code f} applied to every text a model or a tool wrote: text parts, tool-call arguments and
     * tool results. Images and opaque provider parts are left as they are (an opaque part carries a signature over its
     * exact bytes); so are the author name and metadata, which are never sanitised.
     */
    static Message mapTexts(Message message, UnaryOperator<String> f) {
        List<Part> parts = new ArrayList<>(message.parts().size());
        boolean changed = false;
        for (Part part : message.parts()) {
            Part mapped = switch (part) {
                case Part.Text t -> new Part.Text(f.apply(t.text()));
                case Part.ToolCall c -> new Part.ToolCall(c.id(), c.name(), f.apply(c.arguments()));
                case Part.ToolResult r -> new Part.ToolResult(r.callId(), f.apply(r.content()), r.isError());
                default -> part;
            };
            changed |= !mapped.equals(part);
            parts.add(mapped);
        }
        return changed ? new Message(message.role(), parts, message.name(), message.metadata()) : message;
    }
}
