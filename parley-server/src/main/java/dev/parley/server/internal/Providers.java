package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ModelParams;
import dev.parley.models.anthropic.AnthropicChatModel;
import dev.parley.models.gemini.GeminiChatModel;
import dev.parley.models.ollama.OllamaChatModel;
import dev.parley.models.openai.OpenAiChatModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models {@code /chat} can call, by provider name, and keyless renderers that show what each provider
 * would be sent ({@code /context?format=…}) without any network call.
 */
final class Providers implements AutoCloseable {
    static final List<String> FORMATS = List.of("openai", "anthropic", "gemini", "ollama");
    /** The model a rendering names when neither the request nor the session names one. */
    private static final Map<String, String> RENDER_MODELS = Map.of("openai", "gpt-4o-mini", "anthropic", "claude-sonnet-4-5",
            "gemini", "gemini-2.5-flash", "ollama", "llama3.2");

    private final Map<String, ChatModel> models;
    private final String defaultProvider;
    private final Map<String, ChatModel> renderers = new LinkedHashMap<>();

    Providers(Map<String, ChatModel> models, String defaultProvider) {
        this.models = Map.copyOf(models);
        if (defaultProvider != null && !models.containsKey(defaultProvider)) {
            throw new InvalidInputException("provider", "the default provider '" + defaultProvider + "' is not configured"
                    + " (configured: " + (models.isEmpty() ? "none" : String.join(", ", models.keySet())) + ")");
        }
        this.defaultProvider = defaultProvider != null ? defaultProvider
                : models.isEmpty() ? null : models.keySet().iterator().next();
        Map<String, String> noEnvironment = Map.of();
        renderers.put("openai", OpenAiChatModel.builder().environment(noEnvironment).withoutApiKey().build());
        renderers.put("anthropic", AnthropicChatModel.builder().environment(noEnvironment).withoutApiKey().build());
        renderers.put("gemini", GeminiChatModel.builder().environment(noEnvironment).withoutApiKey().build());
        renderers.put("ollama", OllamaChatModel.builder().environment(noEnvironment).withoutApiKey().build());
    }

    /**
     * The providers named in {@code names}, or, when none are named, those whose credentials {@code environment}
     * holds ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY}; Ollama when {@code OLLAMA_HOST}
     * is set), plus the gateway's {@code upstream} when it names one. Keys and endpoints come from the same variables
     * the providers' own SDKs read.
     */
    static Map<String, ChatModel> fromEnvironment(List<String> names, String upstream, Map<String, String> environment) {
        List<String> chosen = new java.util.ArrayList<>(names);
        if (chosen.isEmpty()) {
            if (present(environment, "OPENAI_API_KEY")) {
                chosen.add("openai");
            }
            if (present(environment, "ANTHROPIC_API_KEY")) {
                chosen.add("anthropic");
            }
            if (present(environment, "GEMINI_API_KEY")) {
                chosen.add("gemini");
            }
            if (present(environment, "OLLAMA_HOST")) {
                chosen.add("ollama");
            }
        }
        if (upstream != null && !chosen.contains(upstream)) {
            chosen.add(upstream);
        }
        Map<String, ChatModel> out = new LinkedHashMap<>();
        for (String name : chosen) {
            out.put(name, switch (name) {
                case "openai" -> openAi(environment);
                case "anthropic" -> AnthropicChatModel.builder().environment(environment).build();
                case "gemini" -> GeminiChatModel.builder().environment(environment).build();
                case "ollama" -> OllamaChatModel.builder().environment(environment).build();
                default -> throw new InvalidInputException("providers", "unknown provider '" + name + "'");
            });
        }
        return out;
    }

    /** OpenAI, or a compatible server at {@code OPENAI_BASE_URL}, which may need no key (vLLM, LM Studio, Ollama's /v1). */
    private static ChatModel openAi(Map<String, String> environment) {
        OpenAiChatModel.Builder builder = OpenAiChatModel.builder().environment(environment);
        if (!present(environment, "OPENAI_API_KEY") && present(environment, "OPENAI_BASE_URL")) {
            builder.withoutApiKey();
        }
        return builder.build();
    }

    private static boolean present(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }

    Map<String, ChatModel> models() {
        return models;
    }

    Optional<String> defaultProvider() {
        return Optional.ofNullable(defaultProvider);
    }

    /** The JSON body {@code format}'s API would be sent for {@code messages} (no network call). */
    String render(String format, String model, List<Message> messages, ModelParams params) {
        ChatModel renderer = renderers.get(format);
        if (renderer == null) {
            throw new InvalidInputException("format", "format must be one of parley, " + String.join(", ", FORMATS) + ": '"
                    + LogText.escape(format) + "'");
        }
        return renderer.renderRequest(new ChatRequest(model != null ? model : RENDER_MODELS.get(format), messages, List.of(),
                params));
    }

    static String renderModel(String format, String model) {
        return model != null ? model : RENDER_MODELS.get(format);
    }

    @Override
    public void close() {
        models.values().forEach(ChatModel::close);
        renderers.values().forEach(ChatModel::close);
    }
}
