package dev.parley.privacy;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.spi.PrivacyHook;
import dev.parley.store.VaultRow;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One turn of a session under {@link SessionPrivacy}. */
final class PrivateTurn implements PrivacyHook.Turn {
    private final Sanitizer sanitizer;
    private final boolean sanitising;
    private final Supplier<VaultPlaceholderBook> reload;
    private volatile VaultPlaceholderBook book;

    PrivateTurn(Sanitizer sanitizer, boolean sanitising, VaultPlaceholderBook book, Supplier<VaultPlaceholderBook> reload) {
        this.sanitizer = sanitizer;
        this.sanitising = sanitising;
        this.book = book;
        this.reload = reload;
    }

    VaultPlaceholderBook book() {
        return book;
    }

    @Override
    public Message sanitise(Message message) {
        if (!sanitising) {
            return message;
        }
        VaultPlaceholderBook current = book;
        return PlaceholderRemap.mapTexts(message, text -> sanitizer.sanitize(text, current).text());
    }

    @Override
    public Message restore(Message message) {
        VaultPlaceholderBook current = book;
        return PlaceholderRemap.mapTexts(message, text -> Restorer.restore(text, current));
    }

    @Override
    public PrivacyHook.StreamingText restoreStream(Consumer<String> downstream) {
        StreamingRestorer restorer = new StreamingRestorer(book);
        return new PrivacyHook.StreamingText() {
            @Override
            public void accept(String text) {
                String certain = restorer.feed(text);
                if (!certain.isEmpty()) {
                    downstream.accept(certain);
                }
            }

            @Override
            public void finish() {
                String rest = restorer.finish();
                if (!rest.isEmpty()) {
                    downstream.accept(rest);
                }
            }
        };
    }

    /**
     * Restores the placeholders inside the JSON strings of the arguments, so an original holding a quote or a line
     * break (a PEM key) still gives valid JSON. Arguments that are not JSON are restored as text: the tool rejects
     * them either way, and its error is sanitised before the model sees it.
     */
    @Override
    public String toolArguments(Part.ToolCall call) {
        String arguments = call.arguments();
        if (arguments.indexOf('<') < 0) {
            return arguments;
        }
        VaultPlaceholderBook current = book;
        JsonNode parsed;
        try {
            parsed = ParleyJson.mapper().readTree(arguments);
        } catch (JacksonException notJson) {
            return Restorer.restore(arguments, current);
        }
        return ParleyJson.write(restoreStrings(parsed, current));
    }

    private static JsonNode restoreStrings(JsonNode node, PlaceholderBook book) {
        if (node.isString()) {
            return StringNode.valueOf(Restorer.restore(node.stringValue(), book));
        }
        if (node.isArray()) {
            ArrayNode array = ParleyJson.mapper().createArrayNode();
            node.forEach(item -> array.add(restoreStrings(item, book)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = ParleyJson.object();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                object.set(Restorer.restore(field.getKey(), book), restoreStrings(field.getValue(), book));
            }
            return object;
        }
        return node;
    }

    @Override
    public Part.ToolResult toolResult(Part.ToolCall call, Part.ToolResult result) {
        if (!sanitising) {
            return result;
        }
        return new Part.ToolResult(result.callId(), sanitizer.sanitize(result.content(), book).text(), result.isError());
    }

    @Override
    public List<VaultRow> newVaultRows() {
        return book.newRows();
    }

    @Override
    public synchronized List<Message> remap(List<Message> messages) {
        VaultPlaceholderBook old = book;
        VaultPlaceholderBook fresh = reload.get();
        Set<String> moving = new HashSet<>();
        old.newRows().forEach(row -> moving.add(row.placeholder()));
        PlaceholderRemap remap = new PlaceholderRemap(old, fresh, moving);
        List<Message> remapped = messages.stream().map(remap::message).toList();
        book = fresh;
        return remapped;
    }
}
