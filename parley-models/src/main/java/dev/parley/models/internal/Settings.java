package dev.parley.models.internal;

import dev.parley.InvalidInputException;
import dev.parley.models.RetryPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What every adapter's builder collects (key, endpoint, timeouts, retries, client, extra headers), validated as
 * it is set; the adapters' builders delegate here so the rules and messages are the same for every provider.
 * Unset key and endpoint fall back to the provider's environment variables, like the providers' own SDKs.
 */
public final class Settings {
    private final String providerLabel;
    private final String keyVariable;
    private final String baseUrlVariable;
    private final String defaultBaseUrl;

    private String apiKey;
    private boolean withoutApiKey;
    private boolean keyOptional;
    private UnaryOperator<String> baseUrlVariableFormat = UnaryOperator.identity();
    private String baseUrl;
    private String defaultModel;
    private Duration timeout = Duration.ofMinutes(2);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Map<String, String> environment = System.getenv();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Settings(String providerLabel, String keyVariable, String baseUrlVariable, String defaultBaseUrl) {
        this.providerLabel = providerLabel;
        this.keyVariable = keyVariable;
        this.baseUrlVariable = baseUrlVariable;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    public void apiKey(String key) {
        if (key == null || key.isBlank()) {
            throw new InvalidInputException("api key", providerLabel + " API key must not be blank");
        }
        if (key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new InvalidInputException("api key", providerLabel + " API key must be printable ASCII without spaces");
        }
        this.apiKey = key;
        this.withoutApiKey = false;
    }

    public void withoutApiKey() {
        this.apiKey = null;
        this.withoutApiKey = true;
    }

    /** A provider that needs no key (a local server): a missing key sends none instead of failing. */
    public void keyOptional() {
        this.keyOptional = true;
    }

    /**
     * How the base-URL variable's value becomes a URL before it is checked, for providers whose SDKs accept more
     * than a URL there (Ollama's {@code OLLAMA_HOST=host:port}); it may throw an {@link InvalidInputException}.
     */
    public void baseUrlVariableFormat(UnaryOperator<String> format) {
        this.baseUrlVariableFormat = Objects.requireNonNull(format, "format");
    }

    public void baseUrl(String url) {
        this.baseUrl = checkUrl(url, "base url");
    }

    public void defaultModel(String model) {
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("model", "default model must not be blank");
        }
        this.defaultModel = model;
    }

    public void timeout(Duration value) {
        this.timeout = positive(value, "timeout");
    }

    public void connectTimeout(Duration value) {
        this.connectTimeout = positive(value, "connect timeout");
    }

    public void retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
    }

    public void maxRetries(int retries) {
        if (retries < 0 || retries > 99) {
            throw new InvalidInputException("max retries", "max retries must be between 0 and 99: " + retries);
        }
        this.retryPolicy = retryPolicy.withMaxAttempts(retries + 1);
    }

    public void httpClient(HttpClient client) {
        this.httpClient = Objects.requireNonNull(client, "httpClient");
    }

    public void clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
    }

    public void environment(Map<String, String> variables) {
        this.environment = Map.copyOf(Objects.requireNonNull(variables, "environment"));
    }

    public void header(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "header value");
        try {
            HttpTransport.checkHeader(name, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("header", "header '" + name + "' cannot be set: " + e.getMessage());
        }
        headers.put(name, value);
    }

    /** The key to send, from {@link #apiKey} or the environment; missing is an error naming the variable to set. */
    public Secret resolveKey() {
        if (withoutApiKey) {
            return Secret.none();
        }
        if (apiKey != null) {
            return Secret.of(apiKey);
        }
        String fromEnv = environment.get(keyVariable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Secret.of(fromEnv.strip());
        }
        if (keyOptional) {
            return Secret.none();
        }
        throw new InvalidInputException("api key", providerLabel + " API key is missing: set the " + keyVariable
                + " environment variable or call apiKey(...) on the builder");
    }

    /** The endpoint root without a trailing slash: explicit, else the environment's, else the provider's. */
    public String resolveBaseUrl() {
        String url = baseUrl;
        if (url == null) {
            String fromEnv = environment.get(baseUrlVariable);
            url = fromEnv != null && !fromEnv.isBlank()
                    ? checkUrl(baseUrlVariableFormat.apply(fromEnv.strip()), baseUrlVariable) : defaultBaseUrl;
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String defaultModel() {
        return defaultModel;
    }

    public Duration timeout() {
        return timeout;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public Clock clock() {
        return clock;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public boolean ownsClient() {
        return httpClient == null;
    }

    public HttpClient client() {
        return httpClient != null ? httpClient : HttpTransport.newClient(connectTimeout);
    }

    private static String checkUrl(String url, String field) {
        if (url == null) {
            throw new InvalidInputException(field, field + " must not be null");
        }
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() != null) {
                throw new InvalidInputException(field, field + " must not carry credentials (user:password@); use apiKey(...)");
            }
            String scheme = uri.getScheme();
            if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw new InvalidInputException(field, field + " must be an http(s) URL with a host and no query or fragment: '"
                        + url + "'");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, field + " is not a valid URL (" + e.getReason() + ")");
        }
    }

    private static Duration positive(Duration value, String field) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidInputException(field, field + " must be positive: " + value);
        }
        return value;
    }
}
