package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.context.ContextPolicy;
import dev.parley.models.ModelParams;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's model defaults ({@code "model": {…}} in create and PATCH): which provider and model its chat turns
 * use, their sampling parameters, the context policy and window. Stored as the engine's {@code model.*}
 * settings; per-call values of a chat turn win over them.
 */
final class ModelDefaults {
    static final List<String> KEYS = List.of("provider", "model", "temperature", "topK", "topP", "maxTokens", "policy",
            "contextWindow");

    private ModelDefaults() {
    }

    /** The defaults in {@code body}; a {@code null} value (allowed when {@code patch}) means "remove". */
    static Map<String, String> read(Body body, boolean patch) {
        body.only(KEYS.toArray(String[]::new));
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            if (!body.present(key)) {
                continue;
            }
            JsonNode value = body.raw(key);
            if (value.isNull()) {
                if (!patch) {
                    throw new InvalidInputException(body.name(key), body.name(key) + " must not be null");
                }
                out.put(key, null);
                continue;
            }
            out.put(key, switch (key) {
                case "provider" -> {
                    String provider = body.string(key);
                    if (!Providers.FORMATS.contains(provider)) {
                        throw new InvalidInputException(body.name(key), body.name(key) + " must be one of "
                                + String.join(", ", Providers.FORMATS) + ": '" + LogText.escape(provider) + "'");
                    }
                    yield provider;
                }
                case "model" -> requireModelName(body.string(key), body.name(key));
                case "policy" -> {
                    String policy = body.string(key);
                    policy(policy);
                    yield policy;
                }
                case "temperature" -> {
                    Double number = body.optDouble(key);
                    ModelParams.builder().temperature(number).build();
                    yield number.toString();
                }
                case "topP" -> {
                    Double number = body.optDouble(key);
                    ModelParams.builder().topP(number).build();
                    yield number.toString();
                }
                case "topK", "maxTokens" -> {
                    Long number = body.optLong(key, 1, Integer.MAX_VALUE);
                    yield number.toString();
                }
                case "contextWindow" -> body.optLong(key, 256, 100_000_000).toString();
                default -> throw new IllegalStateException("unhandled model default " + key);
            });
        }
        return out;
    }

    static String requireModelName(String model, String field) {
        if (model.isBlank() || model.length() > 200 || model.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(field, field + " must be 1-200 characters without control characters");
        }
        return model;
    }

    /** The sampling parameters among stored defaults (already validated when stored). */
    static ModelParams params(Map<String, String> defaults) {
        return ModelParams.builder()
                .temperature(defaults.containsKey("temperature") ? Double.valueOf(defaults.get("temperature")) : null)
                .topK(defaults.containsKey("topK") ? Integer.valueOf(defaults.get("topK")) : null)
                .topP(defaults.containsKey("topP") ? Double.valueOf(defaults.get("topP")) : null)
                .maxTokens(defaults.containsKey("maxTokens") ? Integer.valueOf(defaults.get("maxTokens")) : null)
                .build();
    }

    /** A context policy: {@code all}, {@code last:N} (the last N messages) or {@code tokens:MAX[:RESERVE]}. */
    static ContextPolicy policy(String text) {
        String rule = "policy must be all, last:N or tokens:MAX[:RESERVE]: '" + LogText.escape(text) + "'";
        if (text == null || text.equals("all")) {
            return ContextPolicy.all();
        }
        String[] parts = text.split(":", -1);
        try {
            if (parts[0].equals("last") && parts.length == 2) {
                return ContextPolicy.lastMessages(Integer.parseInt(parts[1]));
            }
            if (parts[0].equals("tokens") && (parts.length == 2 || parts.length == 3)) {
                return ContextPolicy.tokenBudget(Integer.parseInt(parts[1]), parts.length == 3 ? Integer.parseInt(parts[2]) : 0);
            }
        } catch (NumberFormatException e) {
            throw new InvalidInputException("policy", rule);
        }
        throw new InvalidInputException("policy", rule);
    }
}
