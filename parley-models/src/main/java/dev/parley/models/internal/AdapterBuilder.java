package dev.parley.models.internal;

import dev.parley.InvalidInputException;
import dev.parley.models.RetryPolicy;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The settings every provider adapter's builder shares: default model, timeouts, retries, the HTTP
 * client, extra headers, the clock and where environment variables are read. Each adapter's builder
 * extends it and adds its own key, base URL and provider-specific options; every setter validates its
 * argument at once.
 */
public abstract class AdapterBuilder<B extends AdapterBuilder<B>> {
    protected final Settings settings;

    protected AdapterBuilder(Settings settings) {
        this.settings = settings;
    }

    /** This builder, typed as the adapter's own, so chained calls keep its methods. */
    protected abstract B self();

    /** The model used when a request names none. */
    public B defaultModel(String model) {
        settings.defaultModel(model);
        return self();
    }

    /**
     * Bounds each attempt: the whole reply of a plain call, and for a stream the wait for the first byte and for
     * each next event (default 2 minutes).
     */
    public B timeout(Duration timeout) {
        settings.timeout(timeout);
        return self();
    }

    public B connectTimeout(Duration timeout) {
        settings.connectTimeout(timeout);
        return self();
    }

    /** How retriable failures are retried (default {@link RetryPolicy#defaults()}: 3 attempts with backoff and jitter). */
    public B retryPolicy(RetryPolicy policy) {
        settings.retryPolicy(policy);
        return self();
    }

    /** Retries after the first attempt, keeping the current policy's delays (0 turns retries off). */
    public B maxRetries(int retries) {
        settings.maxRetries(retries);
        return self();
    }

    /** Uses this client instead of creating one; it is not closed when the model is closed. */
    public B httpClient(HttpClient client) {
        settings.httpClient(client);
        return self();
    }

    /** An extra header on every request (e.g. a beta flag, or one a proxy in front of the provider needs). */
    public B header(String name, String value) {
        settings.header(name, value);
        return self();
    }

    /** The clock used to read {@code retry-after} dates and rate-limit reset instants. */
    public B clock(Clock clock) {
        settings.clock(clock);
        return self();
    }

    /** Where the provider's key and endpoint variables are read from (default: the process environment). */
    public B environment(Map<String, String> variables) {
        settings.environment(variables);
        return self();
    }

    /** The model of a request, else the adapter's default; neither is an error naming how to set one. */
    public static String modelOf(String provider, String requested, String defaultModel) {
        String model = requested != null ? requested : defaultModel;
        if (model == null) {
            throw new InvalidInputException("model", provider + ": the request names no model and the adapter has no"
                    + " default model (set ChatRequest.model or defaultModel(...) on the builder)");
        }
        return model;
    }
}
