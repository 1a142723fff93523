package dev.parley.cli;

import dev.parley.context.ContextWindows;
import dev.parley.models.ChatModel;
import dev.parley.models.anthropic.AnthropicChatModel;
import dev.parley.models.gemini.GeminiChatModel;
import dev.parley.models.ollama.OllamaChatModel;
import dev.parley.models.openai.OpenAiChatModel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model providers {@code parley chat} talks to, configured the way each provider's own tools are: from
 * environment variables. OpenAI, Anthropic and Gemini need their key variable; Ollama needs nothing but a server,
 * at {@code OLLAMA_HOST} or on this machine.
 */
final class Providers {
    /** What the context window is taken to be for a model Parley's table does not know, unless --window says. */
    static final int FALLBACK_WINDOW = 8192;

    /** One provider: its name, the variables that configure it, and the model used when none is named. */
    record Provider(String name, String keyVariable, String keyExample, String baseUrlVariable, String defaultModel) {
    }

    static final List<Provider> ALL = List.of(
            new Provider("openai", "OPENAI_API_KEY", "sk-...", "OPENAI_BASE_URL", "gpt-4o-mini"),
            new Provider("anthropic", "ANTHROPIC_API_KEY", "sk-ant-...", "ANTHROPIC_BASE_URL", "claude-sonnet-4-5"),
            new Provider("gemini", "GEMINI_API_KEY", "...", "GEMINI_BASE_URL", "gemini-2.5-flash"),
            new Provider("ollama", null, null, "OLLAMA_HOST", "llama3.2"));

    /** Printed when no provider is configured. */
    static final String HOW_TO_CONFIGURE = """
            parley: no model provider is configured. Set one of these variables and run parley chat again:
              export OPENAI_API_KEY=sk-...          # OpenAI; OPENAI_BASE_URL for a compatible server (vLLM, LM Studio, Groq ...)
              export ANTHROPIC_API_KEY=sk-ant-...   # Anthropic; ANTHROPIC_BASE_URL for a proxy
              export GEMINI_API_KEY=...             # Google Gemini; GEMINI_BASE_URL for a proxy
              export OLLAMA_HOST=HOST:PORT          # Ollama elsewhere (one on this machine is found by itself: ollama serve)
            Then choose with --provider openai|anthropic|gemini|ollama and --model NAME.""";

    private final Map<String, String> environment;
    private final String localOllama;
    private final Integer window;

    /**
     * @param environment where the variables are read (the process environment, or a test's map)
     * @param localOllama where to look for an Ollama when {@code OLLAMA_HOST} is unset
     * @param window      the context window given on the command line, or {@code null}
     */
    Providers(Map<String, String> environment, String localOllama, Integer window) {
        this.environment = Map.copyOf(environment);
        this.localOllama = localOllama;
        this.window = window;
    }

    static Provider named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new CliException(
                "unknown provider '" + name + "': use openai, anthropic, gemini or ollama"));
    }

    /** The first configured provider, in the order openai, anthropic, gemini, ollama; empty if none is. */
    Optional<Provider> firstConfigured() {
        for (Provider p : ALL) {
            if (p.keyVariable() != null ? isSet(p.keyVariable()) : isSet(p.baseUrlVariable()) || ollamaAnswers(localOllama)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The context window used for {@code model}: --window, else Parley's table, else {@value #FALLBACK_WINDOW}. */
    int windowOf(String model) {
        return window != null ? window : ContextWindows.of(model).orElse(FALLBACK_WINDOW);
    }

    /** A model for {@code provider}; an error naming what to set when it is not configured. */
    ChatModel open(Provider provider, String model) {
        if (provider.keyVariable() != null && !isSet(provider.keyVariable())) {
            throw new CliException(provider.name() + " needs " + provider.keyVariable() + ": export " + provider.keyVariable()
                    + "=" + provider.keyExample() + " (and " + provider.baseUrlVariable() + " to use another endpoint)");
        }
        return switch (provider.name()) {
            case "openai" -> OpenAiChatModel.builder().environment(environment).build();
            case "anthropic" -> AnthropicChatModel.builder().environment(environment).build();
            case "gemini" -> GeminiChatModel.builder().environment(environment).build();
            case "ollama" -> ollama(model);
            default -> throw new IllegalArgumentException("no adapter for provider " + provider.name());
        };
    }

    private ChatModel ollama(String model) {
        // Ollama's default window is small and it silently drops the start of a longer prompt: ask for the one Parley counts with
        OllamaChatModel.Builder builder = OllamaChatModel.builder().environment(environment).contextWindow(windowOf(model));
        if (!isSet("OLLAMA_HOST")) {
            if (!ollamaAnswers(localOllama)) {
                throw new CliException("ollama: nothing answers at " + localOllama + "; start it (ollama serve) or set OLLAMA_HOST=HOST:PORT");
            }
            builder.baseUrl(localOllama);
        }
        return builder.build();
    }

    private boolean isSet(String variable) {
        String value = environment.get(variable);
        return value != null && !value.isBlank();
    }

    /** Whether an HTTP server answers at {@code baseUrl}'s {@code /api/tags} within a second (any status counts). */
    static boolean ollamaAnswers(String baseUrl) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/tags")).timeout(Duration.ofSeconds(1)).GET().build();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException nothingListening) {
            // refused, unreachable or silent: there is no Ollama there, which is an answer, not a failure
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
