package dev.parley.models.gemini;

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
import java.util.regex.Pattern;

/**
 * A {@link ChatModel} over the Google Gemini API ({@code POST {baseUrl}/v1beta/models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse} for streams).
 *
 * <pre>{@code
 * // GEMINI_API_KEY (and optionally GEMINI_BASE_URL) from the environment:
 * ChatModel gemini = GeminiChatModel.fromEnvironment();
 * ChatResponse reply = gemini.chat(ChatRequest.of("gemini-2.5-flash", List.of(Message.user("Hello"))));
 * }</pre>
 *
 * <p>Gemini's function calls carry no ids: the adapter gives each call an id ({@code gemini-call-…}) for the
 * neutral history, and pairs results back with their calls by function name. Thought signatures (which Gemini 3
 * requires back on function-calling turns) are kept as opaque parts and replayed, on the part that carried them,
 * only to the same model. The key is sent as {@code x-goog-api-key}, never in the URL; it never appears in
 * {@link #toString()}, logs or exception messages.
 */
public final class GeminiChatModel implements ChatModel {
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    public static final String API_VERSION = "v1beta";
    /** A model name, optionally with its resource prefix; nothing that could change the request's path. */
    private static final Pattern MODEL = Pattern.compile("(models/|tunedModels/)?[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final String provider;
    private final String baseUrl;
    private final String defaultModel;
    private final Map<String, String> headers;
    private final HttpTransport transport;
    private final GeminiRequests requests;
    private final GeminiReplies replies;
    private final GeminiErrors errors;

    private GeminiChatModel(Builder builder) {
        Settings settings = builder.settings();
        Secret secret = settings.resolveKey();
        this.provider = "gemini";
        this.baseUrl = settings.resolveBaseUrl();
        this.defaultModel = settings.defaultModel();
        Map<String, String> allHeaders = new LinkedHashMap<>(settings.headers());
        if (secret.isPresent()) {
            allHeaders.put("x-goog-api-key", secret.reveal());
        }
        this.headers = Map.copyOf(allHeaders);
        this.requests = new GeminiRequests(provider);
        this.replies = new GeminiReplies(provider, secret);
        this.errors = new GeminiErrors(provider, settings.clock(), secret);
        this.transport = new HttpTransport(provider, settings.client(), settings.ownsClient(), settings.connectTimeout(), settings.timeout(),
                settings.retryPolicy(), errors, secret);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A model configured from {@code GEMINI_API_KEY} and {@code GEMINI_BASE_URL} (default {@value GeminiChatModel#DEFAULT_BASE_URL}). */
    public static GeminiChatModel fromEnvironment() {
        return builder().build();
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        String model = model(request);
        String body = ParleyJson.write(requests.render(request, model));
        return replies.parse(transport.post(new HttpTransport.Call(endpoint(model, ":generateContent"), headers, body)), model);
    }

    @Override
    public ChatStream stream(ChatRequest request, StreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        String model = model(request);
        String body = ParleyJson.write(requests.render(request, model));
        return transport.stream(new HttpTransport.Call(endpoint(model, ":streamGenerateContent?alt=sse"), headers, body),
                () -> new GeminiStreamDecoder(provider, model, transport.secret(), replies, errors), handler);
    }

    /** The JSON body {@link #chat} would send for {@code request}: the history as Gemini sees it. */
    @Override
    public String renderRequest(ChatRequest request) {
        return ParleyJson.write(requests.render(request, model(request)));
    }

    private URI endpoint(String model, String method) {
        String resource = model.startsWith("models/") || model.startsWith("tunedModels/") ? model : "models/" + model;
        return URI.create(baseUrl + "/" + API_VERSION + "/" + resource + method);
    }

    private String model(ChatRequest request) {
        String model = AdapterBuilder.modelOf(provider, request.model(), defaultModel);
        if (!MODEL.matcher(model).matches()) {
            throw new InvalidInputException("model", provider + ": a model name is letters, digits, '.', '_' and '-',"
                    + " optionally after models/ or tunedModels/: '" + model + "'");
        }
        return model;
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "GeminiChatModel[baseUrl=" + baseUrl + ", defaultModel=" + defaultModel + "]";
    }

    /** Configures a {@link GeminiChatModel}; every setter validates its argument at once. */
    public static final class Builder extends AdapterBuilder<Builder> {

        private Builder() {
            super(new Settings("Gemini", "GEMINI_API_KEY", "GEMINI_BASE_URL", DEFAULT_BASE_URL));
        }

        @Override
        protected Builder self() {
            return this;
        }

        private Settings settings() {
            return settings;
        }

        /** The API key; unset, {@code GEMINI_API_KEY} is used, and neither is an error naming the variable. */
        public Builder apiKey(String apiKey) {
            settings.apiKey(apiKey);
            return this;
        }

        /** Sends no {@code x-goog-api-key} header, for a gateway in front of Gemini that adds its own credentials. */
        public Builder withoutApiKey() {
            settings.withoutApiKey();
            return this;
        }

        /** The API root (without {@code /v1beta}); unset, {@code GEMINI_BASE_URL} or {@value GeminiChatModel#DEFAULT_BASE_URL}. */
        public Builder baseUrl(String baseUrl) {
            settings.baseUrl(baseUrl);
            return this;
        }

        public GeminiChatModel build() {
            return new GeminiChatModel(this);
        }
    }
}
