package dev.parley.models.gemini;

import dev.parley.models.ChatResponse;
import dev.parley.models.FinishReason;
import dev.parley.models.Usage;
import dev.parley.models.internal.Replies;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.WireJson;
import tools.jackson.databind.JsonNode;

import java.util.function.Consumer;

/**
 * Maps Gemini {@code GenerateContentResponse}s back to the neutral reply: the first candidate's parts (see
 * {@link GeminiParts}), its {@code finishReason}, the {@code usageMetadata} and the {@code modelVersion}. A prompt
 * blocked before any candidate ({@code promptFeedback.blockReason}) is an empty reply that stopped for its content.
 * Gemini says {@code STOP} also when the reply asks for function calls; the neutral reason is then
 * {@link FinishReason#TOOL_CALLS} (the raw reason stays {@code STOP}).
 */
final class GeminiReplies {
    private final String provider;
    private final Secret secret;

    GeminiReplies(String provider, Secret secret) {
        this.provider = provider;
        this.secret = secret;
    }

    ChatResponse parse(String body, String requestedModel) {
        JsonNode root = WireJson.object(provider, body, 200, "the response", secret);
        Assembly assembly = assembly(requestedModel);
        assembly.accept(root, text -> {
        });
        if (!assembly.answered()) {
            throw WireJson.malformed(provider, "the response has no candidates and no promptFeedback", root, secret);
        }
        return assembly.finish();
    }

    /** A reply put together from one response, or from the chunks of a stream in order. */
    Assembly assembly(String requestedModel) {
        return new Assembly(requestedModel);
    }

    final class Assembly {
        private final String requestedModel;
        private final GeminiParts parts;
        private String finishReason;
        private String blockReason;
        private boolean candidate;
        private Usage usage = Usage.ZERO;
        private String model;

        private Assembly(String requestedModel) {
            this.requestedModel = requestedModel;
            this.parts = new GeminiParts(provider, requestedModel, secret);
        }

        /** Takes one response (a whole one, or a stream chunk), passing its visible text to {@code onText}. */
        void accept(JsonNode response, Consumer<String> onText) {
            if (model == null) {
                model = WireJson.text(response, "modelVersion", null);
            }
            if (response.path("usageMetadata").isObject()) {
                usage = usage(response.get("usageMetadata"));
            }
            String blocked = WireJson.text(response.path("promptFeedback"), "blockReason", null);
            if (blocked != null) {
                blockReason = blocked;
            }
            JsonNode candidates = response.path("candidates");
            if (!candidates.isArray() || candidates.isEmpty()) {
                return;
            }
            candidate = true;
            JsonNode first = candidates.get(0);
            for (JsonNode part : first.path("content").path("parts")) {
                String text = parts.add(part);
                if (!text.isEmpty()) {
                    onText.accept(text);
                }
            }
            String reason = WireJson.text(first, "finishReason", null);
            if (reason != null) {
                finishReason = reason;
            }
        }

        /** Whether Gemini said the reply is over: a finish reason, or a blocked prompt. */
        boolean ended() {
            return finishReason != null || blockReason != null;
        }

        boolean answered() {
            return candidate || blockReason != null;
        }

        ChatResponse finish() {
            String raw = finishReason != null ? finishReason : blockReason;
            FinishReason reason = finishReason == null && blockReason != null ? FinishReason.CONTENT_FILTER
                    : finishReason(finishReason, parts.hasToolCalls());
            return new ChatResponse(Replies.assistant(parts.finish()), usage, reason, raw, model != null ? model : requestedModel);
        }
    }

    /** The whole prompt is input; the reply's tokens and the model's thinking tokens (billed as output) are output. */
    static Usage usage(JsonNode usage) {
        return new Usage(WireJson.count(usage, "promptTokenCount"),
                WireJson.sum(WireJson.count(usage, "candidatesTokenCount"), WireJson.count(usage, "thoughtsTokenCount")));
    }

    static FinishReason finishReason(String raw, boolean toolCalls) {
        if (raw == null) {
            return toolCalls ? FinishReason.TOOL_CALLS : FinishReason.OTHER;
        }
        return switch (raw) {
            case "STOP" -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
