package dev.parley.models.anthropic;

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
 * A {@link ChatModel} over the Anthropic Messages API ({@code POST {baseUrl}/v1/messages}, API version
 * {@value #API_VERSION}).
 *
 * <pre>{@code
 * // ANTHROPIC_API_KEY (and optionally ANTHROPIC_BASE_URL) from the environment, as Anthropic's SDKs read them:
 * ChatModel claude = AnthropicChatModel.fromEnvironment();
 *
 * // with extended thinking; its thinking blocks are kept as opaque parts and replayed to the same model:
 * ChatModel thinking = AnthropicChatModel.builder().defaultModel("claude-sonnet-4-5").thinkingBudgetTokens(2048)
 *         .defaultMaxTokens(8192).build();
 * }</pre>
 *
 * <p>The API requires {@code max_tokens}: a request without {@code maxTokens} uses the builder's default
 * (4096). A temperature above 1.0 is rejected before sending (Anthropic's range is 0–1). The key is sent as
 * {@code x-api-key}; it never appears in {@link #toString()}, logs or exception messages.
 */
public final class AnthropicChatModel implements ChatModel {
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    public static final String API_VERSION = "2023-06-01";

    private final String provider;
    private final String baseUrl;
    private final URI endpoint;
    private final String defaultModel;
    private final Map<String, String> headers;
    private final HttpTransport transport;
    private final AnthropicRequests requests;
    private final AnthropicReplies replies;
    private final AnthropicErrors errors;

    private AnthropicChatModel(Builder builder) {
        Settings settings = builder.settings();
        Secret secret = settings.resolveKey();
        this.provider = "anthropic";
        this.baseUrl = settings.resolveBaseUrl();
        this.endpoint = URI.create(baseUrl + "/v1/messages");
        this.defaultModel = settings.defaultModel();
        Map<String, String> allHeaders = new LinkedHashMap<>(settings.headers());
        allHeaders.put("anthropic-version", API_VERSION);
        if (secret.isPresent()) {
            allHeaders.put("x-api-key", secret.reveal());
        }
        this.headers = Map.copyOf(allHeaders);
        this.requests = new AnthropicRequests(provider, builder.defaultMaxTokens, builder.thinkingBudget);
        this.replies = new AnthropicReplies(provider, secret);
        this.errors = new AnthropicErrors(provider, settings.clock(), secret);
        this.transport = new HttpTransport(provider, settings.client(), settings.ownsClient(), settings.connectTimeout(), settings.timeout(),
                settings.retryPolicy(), errors, secret);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A model configured from {@code ANTHROPIC_API_KEY} and {@code ANTHROPIC_BASE_URL} (default {@value AnthropicChatModel#DEFAULT_BASE_URL}). */
    public static AnthropicChatModel fromEnvironment() {
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
                () -> new AnthropicStreamDecoder(provider, model, transport.secret(), replies, errors), handler);
    }

    /** The JSON body {@link #chat} would send for {@code request}: the history as Anthropic sees it. */
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
        return "AnthropicChatModel[baseUrl=" + baseUrl + ", defaultModel=" + defaultModel + "]";
    }

    /** Configures an {@link AnthropicChatModel}; every setter validates its argument at once. */
    public static final class Builder extends AdapterBuilder<Builder> {
        private int defaultMaxTokens = 4096;
        private Integer thinkingBudget;

        private Builder() {
            super(new Settings("Anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", DEFAULT_BASE_URL));
        }

        @Override
        protected Builder self() {
            return this;
        }

        private Settings settings() {
            return settings;
        }

        /** The API key; unset, {@code ANTHROPIC_API_KEY} is used, and neither is an error naming the variable. */
        public Builder apiKey(String apiKey) {
            settings.apiKey(apiKey);
            return this;
        }

        /** Sends no {@code x-api-key} header, for a gateway in front of Anthropic that adds its own. */
        public Builder withoutApiKey() {
            settings.withoutApiKey();
            return this;
        }

        /** The API root (without {@code /v1}); unset, {@code ANTHROPIC_BASE_URL} or {@value AnthropicChatModel#DEFAULT_BASE_URL}. */
        public Builder baseUrl(String baseUrl) {
            settings.baseUrl(baseUrl);
            return this;
        }

        /** {@code max_tokens} for requests that set no {@code maxTokens} (the API requires one); default 4096. */
        public Builder defaultMaxTokens(int maxTokens) {
            if (maxTokens < 1) {
                throw new InvalidInputException("defaultMaxTokens", "defaultMaxTokens must be at least 1: " + maxTokens);
            }
            this.defaultMaxTokens = maxTokens;
            return this;
        }

        /**
         * Turns on extended thinking with this budget (at least 1024 tokens, the API's minimum; each request's
         * max tokens must be larger). The thinking blocks come back as opaque parts.
         */
        public Builder thinkingBudgetTokens(int budget) {
            if (budget < 1024) {
                throw new InvalidInputException("thinkingBudgetTokens", "the thinking budget must be at least 1024 tokens: " + budget);
            }
            this.thinkingBudget = budget;
            return this;
        }

        public AnthropicChatModel build() {
            return new AnthropicChatModel(this);
        }
    }
}
