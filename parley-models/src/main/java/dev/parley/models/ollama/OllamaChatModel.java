package dev.parley.models.ollama;

import dev.parley.InvalidInputException;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.ChatStream;
import dev.parley.models.StreamHandler;
import dev.parley.models.internal.HttpTransport;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.AdapterBuilder;
import dev.parley.models.internal.Settings;
import dev.parley.models.internal.StreamFraming;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ChatModel} over Ollama's native API ({@code POST {host}/api/chat}), streaming as newline-delimited JSON.
 * For Ollama's OpenAI-compatible {@code /v1}, use {@link dev.parley.models.openai.OpenAiChatModel} instead; the
 * native API adds reasoning models' {@code thinking}, {@code num_ctx} and the other Ollama options.
 *
 * <pre>{@code
 * // OLLAMA_HOST (e.g. "gpu-box:11434"; default http://127.0.0.1:11434) from the environment, no key needed:
 * ChatModel ollama = OllamaChatModel.builder().defaultModel("llama3.2").contextWindow(16_384).build();
 *
 * // Ollama's cloud, with OLLAMA_API_KEY sent as a Bearer token:
 * ChatModel cloud = OllamaChatModel.builder().baseUrl("https://ollama.com").build();
 * }</pre>
 *
 * <p>A local Ollama checks no key: none is needed, and {@code OLLAMA_API_KEY} (or {@link Builder#apiKey}) is sent as
 * {@code Authorization: Bearer} when set; it never appears in {@link #toString()}, logs or exception messages.
 * Ollama's tool calls carry no ids: the adapter gives each an id ({@code ollama-call-…}) and names the function in
 * each tool result. Images must be {@code data:} URLs.
 */
public final class OllamaChatModel implements ChatModel {
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";

    private final String provider;
    private final String baseUrl;
    private final URI endpoint;
    private final String defaultModel;
    private final Map<String, String> headers;
    private final HttpTransport transport;
    private final OllamaRequests requests;
    private final OllamaReplies replies;

    private OllamaChatModel(Builder builder) {
        Settings settings = builder.settings();
        Secret secret = settings.resolveKey();
        this.provider = "ollama";
        this.baseUrl = settings.resolveBaseUrl();
        this.endpoint = URI.create(baseUrl + "/api/chat");
        this.defaultModel = settings.defaultModel();
        Map<String, String> allHeaders = new LinkedHashMap<>(settings.headers());
        if (secret.isPresent()) {
            allHeaders.put("authorization", "Bearer " + secret.reveal());
        }
        this.headers = Map.copyOf(allHeaders);
        this.requests = new OllamaRequests(provider, builder.contextWindow);
        OllamaErrors errors = new OllamaErrors(provider, settings.clock(), secret);
        this.replies = new OllamaReplies(provider, secret, errors);
        this.transport = new HttpTransport(provider, settings.client(), settings.ownsClient(), settings.connectTimeout(), settings.timeout(),
                settings.retryPolicy(), errors, secret);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A model configured from {@code OLLAMA_HOST} (default {@value OllamaChatModel#DEFAULT_BASE_URL}) and, if set, {@code OLLAMA_API_KEY}. */
    public static OllamaChatModel fromEnvironment() {
        return builder().build();
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        String model = model(request);
        String body = ParleyJson.write(requests.render(request, model, false));
        return replies.parse(transport.post(new HttpTransport.Call(endpoint, headers, body)), model);
    }

    @Override
    public ChatStream stream(ChatRequest request, StreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        String model = model(request);
        String body = ParleyJson.write(requests.render(request, model, true));
        return transport.stream(new HttpTransport.Call(endpoint, headers, body), StreamFraming.JSON_LINES,
                () -> new OllamaStreamDecoder(provider, model, transport.secret(), replies), handler);
    }

    /** The JSON body {@link #chat} would send for {@code request}: the history as Ollama sees it. */
    @Override
    public String renderRequest(ChatRequest request) {
        return ParleyJson.write(requests.render(request, model(request), false));
    }

    private String model(ChatRequest request) {
        return AdapterBuilder.modelOf(provider, request.model(), defaultModel);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "OllamaChatModel[baseUrl=" + baseUrl + ", defaultModel=" + defaultModel + "]";
    }

    /** Configures an {@link OllamaChatModel}; every setter validates its argument at once. */
    public static final class Builder extends AdapterBuilder<Builder> {
        private Integer contextWindow;

        private Builder() {
            super(new Settings("Ollama", "OLLAMA_API_KEY", OllamaHost.VARIABLE, DEFAULT_BASE_URL));
            settings.keyOptional();
            settings.baseUrlVariableFormat(OllamaHost::toUrl);
        }

        @Override
        protected Builder self() {
            return this;
        }

        private Settings settings() {
            return settings;
        }

        /** A key sent as {@code Authorization: Bearer} (Ollama's cloud, or a proxy that checks one); unset, {@code OLLAMA_API_KEY} if set. */
        public Builder apiKey(String apiKey) {
            settings.apiKey(apiKey);
            return this;
        }

        /** Sends no key, even when {@code OLLAMA_API_KEY} is set. */
        public Builder withoutApiKey() {
            settings.withoutApiKey();
            return this;
        }

        /**
         * The server's root URL, e.g. {@code http://gpu-box:11434}; unset, {@code OLLAMA_HOST} (which may also be
         * {@code host:port}, as for Ollama's own client) or {@value OllamaChatModel#DEFAULT_BASE_URL}.
         */
        public Builder baseUrl(String baseUrl) {
            settings.baseUrl(baseUrl);
            return this;
        }

        /**
         * The context window to ask for ({@code options.num_ctx}) on every request. Ollama's default is small and it
         * silently drops the start of a longer prompt, so set it to what the model and the machine can hold.
         */
        public Builder contextWindow(int tokens) {
            if (tokens < 1) {
                throw new InvalidInputException("contextWindow", "contextWindow must be at least 1 token: " + tokens);
            }
            this.contextWindow = tokens;
            return this;
        }

        public OllamaChatModel build() {
            return new OllamaChatModel(this);
        }
    }
}
