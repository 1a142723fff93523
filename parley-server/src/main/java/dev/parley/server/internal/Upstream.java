package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.models.ChatModel;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.server.ServerConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The provider behind the OpenAI-compatible gateway: the {@code upstream} setting, else the server's default provider.
 * When it is OpenAI (or a server speaking its API) configured from the environment, its endpoint is known, so requests
 * without a session and {@code GET /v1/models} are passed through byte for byte; any other upstream is reached through
 * its adapter, which translates.
 */
final class Upstream implements AutoCloseable {
    /** Each provider's base-URL variable, as its own SDK reads it. */
    private static final Map<String, String> BASE_URL_VARIABLES = Map.of("openai", "OPENAI_BASE_URL",
            "anthropic", "ANTHROPIC_BASE_URL", "gemini", "GEMINI_BASE_URL", "ollama", "OLLAMA_HOST");
    /** The longest a passed-through request may take (a long streamed reply included). */
    static final Duration PASS_THROUGH_TIMEOUT = Duration.ofMinutes(10);

    /** OpenAI's API at {@code baseUrl} (e.g. {@code https://api.openai.com/v1}), with the key to send, if any. */
    record Endpoint(String baseUrl, String apiKey) {
        URI resolve(String path) {
            return URI.create(baseUrl + path);
        }
    }

    private final String provider;
    private final ChatModel model;
    private final Endpoint endpoint;
    private final HttpClient http;

    private Upstream(String provider, ChatModel model, Endpoint endpoint) {
        this.provider = provider;
        this.model = model;
        this.endpoint = endpoint;
        this.http = endpoint == null ? null : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The environment the providers are configured from: {@code environment} with the upstream's base-URL variable
     * replaced by the {@code upstreamUrl} setting, when set.
     */
    static Map<String, String> environment(ServerConfig config, Map<String, String> environment) {
        if (config.upstreamUrl().isEmpty()) {
            return environment;
        }
        String provider = config.upstream().orElseThrow(() -> new InvalidInputException("upstreamUrl",
                "upstreamUrl needs the upstream setting to say which provider it points at (openai, anthropic, gemini, ollama)"));
        Map<String, String> out = new HashMap<>(environment);
        out.put(BASE_URL_VARIABLES.get(provider), config.upstreamUrl().get());
        return Map.copyOf(out);
    }

    /**
     * The upstream among {@code providers}. {@code environment} is where they were configured from, or {@code null}
     * when the embedding application handed the models over (then no endpoint is known and every request is translated).
     */
    static Upstream of(ServerConfig config, Providers providers, Map<String, String> environment) {
        String name = config.upstream().orElse(providers.defaultProvider().orElse(null));
        if (name == null) {
            return new Upstream(null, null, null);
        }
        ChatModel model = providers.models().get(name);
        if (model == null) {
            throw new InvalidInputException("upstream", "the upstream '" + name + "' is not among the configured providers ("
                    + String.join(", ", providers.models().keySet()) + ")");
        }
        Endpoint endpoint = null;
        if (name.equals("openai") && environment != null) {
            String base = environment.getOrDefault("OPENAI_BASE_URL", "");
            base = base.isBlank() ? OpenAiChatModel.DEFAULT_BASE_URL : base.strip();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            String key = environment.get("OPENAI_API_KEY");
            endpoint = new Endpoint(base, key == null || key.isBlank() ? null : key.strip());
        }
        return new Upstream(name, model, endpoint);
    }

    /** The provider's name; an error saying how to configure one when there is none. */
    String provider() {
        if (provider == null) {
            throw new ApiException(503, "no_provider", "no upstream is configured on this server: set OPENAI_API_KEY (and "
                    + "OPENAI_BASE_URL for a compatible server), ANTHROPIC_API_KEY, GEMINI_API_KEY or OLLAMA_HOST, or the "
                    + "upstream setting, and restart");
        }
        return provider;
    }

    ChatModel model() {
        provider();
        return model;
    }

    /** OpenAI's endpoint, when the upstream is OpenAI configured from the environment. */
    Optional<Endpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        if (http != null) {
            http.shutdownNow();
        }
    }
}
