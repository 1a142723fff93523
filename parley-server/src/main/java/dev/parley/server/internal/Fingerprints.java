package dev.parley.server.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.security.Hmac;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the gateway recognises a message a client sends back: an HMAC, under a key derived from the server's secret, of
 * the message's canonical client-visible form (role, text, image URLs, tool calls with their JSON arguments in a
 * canonical order, the tool call a result answers). Author names, metadata and provider artefacts are not part of it.
 * A tool message with several results is several messages to an OpenAI client, so it has one fingerprint per result.
 *
 * <p>A stored message that reaches the client as it is stored (its session has no data key, so nothing is restored)
 * keeps its fingerprints in memory: a client that resends the whole conversation on every call would otherwise have
 * every stored message fingerprinted again on every call, a cost growing with the conversation.
 */
final class Fingerprints {
    private static final String PURPOSE = "parley gateway message fingerprints v1";
    /** About 150 bytes each: 15 MB for the fingerprints of 100,000 stored messages. */
    private static final long STORED_MAXIMUM = 100_000;

    /**
     * A stored entry. Entries never change once written, and a redacted one is never looked up (its fingerprint is its
     * role); the session's creation time keeps a session deleted and created again under its id apart.
     */
    private record Stored(TenantId tenant, SessionId session, Instant createdAt, EntryId entry) {
    }

    /**
     * Fingerprints kept for an entry, with the hash of the message they were made from. A look-up whose message hashes
     * otherwise (a session deleted and created again within the same millisecond, with other messages) makes them
     * afresh: a fingerprint is a function of the message alone, so the key only decides how often they are reused.
     */
    private record Kept(int messageHash, List<String> fingerprints) {
    }

    private final SecretKey key;
    private final Cache<Stored, Kept> stored = Caffeine.newBuilder().maximumSize(STORED_MAXIMUM).build();

    Fingerprints(String serverSecret) {
        this.key = Hmac.derive(new SecretKeySpec(serverSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), PURPOSE,
                "HmacSHA256");
    }

    /**
     * The fingerprints of {@code message}, stored as {@code entry} of {@code session} and seen by the client exactly as
     * stored (the caller's promise: the session restores nothing); computed once per entry.
     */
    List<String> ofStored(SessionInfo session, EntryId entry, Message message) {
        Stored where = new Stored(session.tenant(), session.id(), session.createdAt(), entry);
        int hash = message.hashCode();
        Kept kept = stored.getIfPresent(where);
        if (kept != null && kept.messageHash() == hash) {
            return kept.fingerprints();
        }
        List<String> made = of(message);
        stored.put(where, new Kept(hash, made));
        return made;
    }

    /** The fingerprints of what an OpenAI client sees of {@code message}: one, or one per tool result. */
    List<String> of(Message message) {
        List<String> out = new ArrayList<>();
        for (String form : canonicalForms(message)) {
            out.add(Hmac.sha256Base64Url(key, form));
        }
        return List.copyOf(out);
    }

    static List<String> canonicalForms(Message message) {
        List<Part.ToolResult> results = message.toolResults();
        if (!results.isEmpty()) {
            return results.stream().map(r -> ParleyJson.write(ParleyJson.object().put("role", "tool")
                    .put("tool_call_id", r.callId()).put("content", r.content()))).toList();
        }
        ObjectNode node = ParleyJson.object().put("role", message.role().wireName());
        StringBuilder text = new StringBuilder();
        ArrayNode images = ParleyJson.mapper().createArrayNode();
        ArrayNode calls = ParleyJson.mapper().createArrayNode();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t -> text.append(t.text());
                case Part.ImageRef i -> images.add(i.url());
                case Part.ToolCall c -> calls.addObject().put("id", c.id()).put("name", c.name())
                        .put("arguments", canonicalArguments(c.arguments()));
                default -> {
                }
            }
        }
        node.put("content", text.toString());
        node.set("images", images);
        node.set("tool_calls", calls);
        return List.of(ParleyJson.write(node));
    }

    /** JSON arguments with their keys sorted and no insignificant space; anything else as it is. */
    private static String canonicalArguments(String arguments) {
        try {
            JsonNode parsed = ParleyJson.mapper().readTree(arguments);
            return parsed == null || parsed.isMissingNode() ? arguments : ParleyJson.write(sorted(parsed));
        } catch (JacksonException notJson) {
            return arguments;
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = ParleyJson.object();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = ParleyJson.mapper().createArrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }
}
