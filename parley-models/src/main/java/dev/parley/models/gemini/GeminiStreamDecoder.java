package dev.parley.models.gemini;

import dev.parley.models.ChatResponse;
import dev.parley.models.ModelException;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.SseEvent;
import dev.parley.models.internal.StreamDecoder;
import dev.parley.models.internal.WireJson;
import tools.jackson.databind.JsonNode;

import java.util.function.Consumer;

/**
 * Assembles a Gemini {@code streamGenerateContent?alt=sse} stream: every event is a whole
 * {@code GenerateContentResponse} holding the next parts (text pieces, whole function calls), the last one also
 * the {@code finishReason} and the final {@code usageMetadata}. There is no end marker: the body ends, and a stream
 * that ends without a finish reason was cut. An {@code error} object in an event fails the stream.
 */
final class GeminiStreamDecoder implements StreamDecoder {
    private final String provider;
    private final Secret secret;
    private final GeminiErrors errors;
    private final GeminiReplies.Assembly assembly;

    GeminiStreamDecoder(String provider, String requestedModel, Secret secret, GeminiReplies replies, GeminiErrors errors) {
        this.provider = provider;
        this.secret = secret;
        this.errors = errors;
        this.assembly = replies.assembly(requestedModel);
    }

    @Override
    public boolean accept(SseEvent event, Consumer<String> onText) {
        JsonNode chunk = WireJson.object(provider, event.data(), 200, "a stream chunk", secret);
        if (chunk.has("error")) {
            throw errors.fromStreamError(chunk.get("error"));
        }
        assembly.accept(chunk, onText);
        return false;
    }

    @Override
    public ChatResponse finish(boolean completed) {
        if (!assembly.ended()) {
            throw new ModelException.MalformedResponse(provider, provider
                    + ": the stream ended before the reply was complete (no finishReason)", 200, null);
        }
        return assembly.finish();
    }
}
