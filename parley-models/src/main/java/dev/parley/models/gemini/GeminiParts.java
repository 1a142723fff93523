package dev.parley.models.gemini;

import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.ToolArguments;
import dev.parley.models.internal.ToolCallIds;
import dev.parley.models.internal.WireJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns Gemini response parts, in order (those of one response, or of every chunk of a stream), into neutral parts.
 * <ul>
 *   <li>Adjacent text parts are one text run: a stream's text chunks become one {@link Part.Text}, the same as the
 *       non-streamed reply. {@code thought} text (thought summaries) is a run of its own, kept as an opaque part.</li>
 *   <li>A {@code thoughtSignature} becomes {@code Part.Opaque(provider, model, {"thoughtSignature": …})} placed just
 *       before the part that carried it, which is where the renderer puts it back. A run's signature may arrive on
 *       a later, empty chunk (Gemini streams end so); a signature whose run has no text is kept as a whole opaque
 *       part, replayed verbatim.</li>
 *   <li>{@code functionCall} becomes a {@link Part.ToolCall} with the id Gemini gave, or a generated one (the
 *       generateContent API usually gives none); its {@code args} object becomes the arguments text.</li>
 *   <li>Any other part (executable code and its result, inline data from image models …) is kept whole as an
 *       opaque part.</li>
 * </ul>
 */
final class GeminiParts {
    static final String SIGNATURE = "thoughtSignature";

    private final String provider;
    private final String model;
    private final Secret secret;
    private final List<Part> parts = new ArrayList<>();
    private Run run;
    private boolean toolCalls;

    /** Adjacent text (or thought) parts being joined, and the signature one of them carried. */
    private static final class Run {
        final boolean thought;
        final StringBuilder text = new StringBuilder();
        String signature;

        Run(boolean thought) {
            this.thought = thought;
        }
    }

    GeminiParts(String provider, String model, Secret secret) {
        this.provider = provider;
        this.model = model;
        this.secret = secret;
    }

    /** Whether an opaque part of this provider is a signature for the part after it, rather than a whole part. */
    static boolean isSignatureOnly(ObjectNode part) {
        return part.size() == 1 && part.path(SIGNATURE).isString();
    }

    /** Takes the next response part; returns the visible text it adds (empty for anything else). */
    String add(JsonNode part) {
        if (!part.isObject()) {
            throw WireJson.malformed(provider, "a content part is not an object", part, secret);
        }
        String signature = WireJson.text(part, SIGNATURE, null);
        if (part.path("text").isString() || part instanceof ObjectNode object && isSignatureOnly(object)) {
            boolean thought = part.path("thought").asBoolean(false);
            if (run == null || run.thought != thought) {
                closeRun();
                run = new Run(thought);
            }
            String text = WireJson.text(part, "text", "");
            run.text.append(text);
            if (signature != null) {
                run.signature = signature;
            }
            return thought ? "" : text;
        }
        closeRun();
        JsonNode call = part.get("functionCall");
        if (call != null) {
            String name = WireJson.text(call, "name", "");
            // a blank name would otherwise surface as the domain's InvalidInputException, blaming the caller's input
            if (name.isBlank()) {
                throw WireJson.malformed(provider, "a functionCall without a name", part, secret);
            }
            String id = WireJson.text(call, "id", "");
            addSignature(signature);
            parts.add(new Part.ToolCall(id.isBlank() ? ToolCallIds.generate(provider) : id, name, ToolArguments.text(call.get("args"))));
            toolCalls = true;
            return "";
        }
        parts.add(new Part.Opaque(provider, model, ParleyJson.write(part)));
        return "";
    }

    boolean hasToolCalls() {
        return toolCalls;
    }

    List<Part> finish() {
        closeRun();
        return List.copyOf(parts);
    }

    private void closeRun() {
        if (run == null) {
            return;
        }
        Run done = run;
        run = null;
        if (done.thought || done.text.isEmpty()) {
            if (done.text.isEmpty() && done.signature == null) {
                return;
            }
            ObjectNode whole = ParleyJson.object().put("text", done.text.toString());
            if (done.thought) {
                whole.put("thought", true);
            }
            if (done.signature != null) {
                whole.put(SIGNATURE, done.signature);
            }
            parts.add(new Part.Opaque(provider, model, ParleyJson.write(whole)));
            return;
        }
        addSignature(done.signature);
        parts.add(new Part.Text(done.text.toString()));
    }

    private void addSignature(String signature) {
        if (signature != null) {
            parts.add(new Part.Opaque(provider, model, ParleyJson.write(ParleyJson.object().put(SIGNATURE, signature))));
        }
    }
}
