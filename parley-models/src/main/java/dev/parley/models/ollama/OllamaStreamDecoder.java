package dev.parley.models.ollama;

import dev.parley.models.ChatResponse;
import dev.parley.models.ModelException;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.SseEvent;
import dev.parley.models.internal.StreamDecoder;
import dev.parley.models.internal.WireJson;

import java.util.function.Consumer;

/**
 * Assembles an Ollama stream: newline-delimited JSON objects (not server-sent events), each with the next piece of
 * {@code message.content} (and of {@code message.thinking}), tool calls arriving whole, and a last object with
 * {@code done: true}, the {@code done_reason} and the token counts. An {@code error} line fails the stream.
 */
final class OllamaStreamDecoder implements StreamDecoder {
    private final String provider;
    private final Secret secret;
    private final OllamaReplies.Assembly assembly;

    OllamaStreamDecoder(String provider, String requestedModel, Secret secret, OllamaReplies replies) {
        this.provider = provider;
        this.secret = secret;
        this.assembly = replies.assembly(requestedModel);
    }

    @Override
    public boolean accept(SseEvent line, Consumer<String> onText) {
        assembly.accept(WireJson.object(provider, line.data(), 200, "a stream line", secret), onText);
        return assembly.done();
    }

    @Override
    public ChatResponse finish(boolean completed) {
        if (!completed) {
            throw new ModelException.MalformedResponse(provider, provider
                    + ": the stream ended before the reply was complete (no line with \"done\": true)", 200, null);
        }
        return assembly.finish();
    }
}
