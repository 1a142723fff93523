package dev.parley.models.openai;

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

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ChatModel} over the OpenAI Chat Completions API ({@code POST {baseUrl}/chat/completions}), and so over
 * any server that speaks it: vLLM, Ollama's {@code /v1}, LM Studio, Groq, OpenRouter …
 *
 * <pre>{@code
 * // OPENAI_API_KEY (and optionally OPENAI_BASE_URL) from the environment, as the OpenAI SDKs read them:
 * ChatModel openai = OpenAiChatModel.fromEnvironment();
 *
 * // a local Ollama, which checks no key:
 * ChatModel ollama = OpenAiChatModel.builder()
 *         .baseUrl("http://localhost:11434/v1").withoutApiKey().providerName("ollama").defaultModel("llama3.2")
 *         .build();
 * }</pre>
 *
 * <p>How each {@link dev.parley.models.ModelParams} field is sent is documented there; in short {@code topK} is
 * dropped (the API has none) unless {@link Builder#forwardTopK(boolean)} is set for a server that takes it.
 * The API key is sent as {@code Authorization: Bearer}; it never appears in {@link #toString()}, logs or
 * exception messages.
 */
public final class OpenAiChatModel implements ChatModel {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    private final String provider;
    private final String baseUrl;
    private final URI endpoint;
    private final String defaultModel;
    private final Map<String, String> headers;
    private final HttpTransport transport;
    private final OpenAiRequests requests;
    private final OpenAiReplies replies;
    private final OpenAiErrors errors;

    private OpenAiChatModel(Builder builder) {
        Settings settings = builder.settings();
        Secret secret = settings.resolveKey();
        this.provider = builder.providerName;
        this.baseUrl = settings.resolveBaseUrl();
        this.endpoint = URI.create(baseUrl + "/chat/completions");
        this.defaultModel = settings.defaultModel();
        Map<String, String> allHeaders = new LinkedHashMap<>(settings.headers());
        if (secret.isPresent()) {
            allHeaders.put("authorization", "Bearer " + secret.reveal());
        }
        this.headers = Map.copyOf(allHeaders);
        boolean maxCompletionTokens = builder.maxCompletionTokens != null ? builder.maxCompletionTokens
                : baseUrl.startsWith("https://api.openai.com/");
        this.requests = new OpenAiRequests(provider, maxCompletionTokens, builder.forwardTopK);
        this.replies = new OpenAiReplies(provider, secret);
        this.errors = new OpenAiErrors(provider, settings.clock(), secret);
        this.transport = new HttpTransport(provider, settings.client(), settings.ownsClient(), settings.connectTimeout(), settings.timeout(),
                settings.retryPolicy(), errors, secret);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A model configured from {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL} (default {@value OpenAiChatModel#DEFAULT_BASE_URL}). */
    public static OpenAiChatModel fromEnvironment() {
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
        return transport.stream(new HttpTransport.Call(endpoint, headers, body),
                () -> new OpenAiStreamDecoder(provider, model, transport.secret(), replies, errors), handler);
    }

    /** The JSON body {@link #chat} would send for {@code request}: the history as this provider sees it. */
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
        return "OpenAiChatModel[provider=" + provider + ", baseUrl=" + baseUrl + ", defaultModel=" + defaultModel + "]";
    }

    /** Configures an {@link OpenAiChatModel}; every setter validates its argument at once. */
    public static final class Builder extends AdapterBuilder<Builder> {
        private String providerName = "openai";
        private Boolean maxCompletionTokens;
        private boolean forwardTopK;

        private Builder() {
            super(new Settings("OpenAI", "OPENAI_API_KEY", "OPENAI_BASE_URL", DEFAULT_BASE_URL));
        }

        @Override
        protected Builder self() {
            return this;
        }

        private Settings settings() {
            return settings;
        }

        /** The API key; unset, {@code OPENAI_API_KEY} is used, and neither is an error naming the variable. */
        public Builder apiKey(String apiKey) {
            settings.apiKey(apiKey);
            return this;
        }

        /** Sends no {@code Authorization} header, for local servers that check none. */
        public Builder withoutApiKey() {
            settings.withoutApiKey();
            return this;
        }

        /** The API root, e.g. {@code http://localhost:11434/v1}; unset, {@code OPENAI_BASE_URL} or {@value OpenAiChatModel#DEFAULT_BASE_URL}. */
        public Builder baseUrl(String baseUrl) {
            settings.baseUrl(baseUrl);
            return this;
        }

        /**
         * The name this adapter reports as its {@link ChatModel#provider()} (default {@code "openai"}); give a
         * compatible server its own name so opaque parts and errors say where they came from.
         */
        public Builder providerName(String name) {
            if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]{0,31}")) {
                throw new InvalidInputException("provider name",
                        "provider name must be 1-32 characters of [a-z0-9_.-] starting with a letter or digit: " + name);
            }
            this.providerName = name;
            return this;
        }

        /**
         * Sends {@code maxTokens} as {@code max_completion_tokens} (true) or the older {@code max_tokens} (false).
         * Default: the former for api.openai.com, whose reasoning models reject {@code max_tokens}; the latter for
         * any other server, since Ollama, LM Studio and older vLLM only know {@code max_tokens}.
         */
        public Builder maxCompletionTokens(boolean useMaxCompletionTokens) {
            this.maxCompletionTokens = useMaxCompletionTokens;
            return this;
        }

        /** Sends {@code topK} as {@code top_k}, which OpenAI rejects but vLLM and other compatible servers accept. */
        public Builder forwardTopK(boolean forward) {
            this.forwardTopK = forward;
            return this;
        }

        public OpenAiChatModel build() {
            return new OpenAiChatModel(this);
        }
    }
}
