package dev.parley.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server's meters, exposed at {@code /metrics} in the Prometheus text format: requests and their latency by
 * route template, method and status; store calls by operation; model calls by provider; sessions created and
 * deleted; chat turns and their tokens by provider.
 */
final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * The timers of the two meters every request records, by their tags: building a meter's id and looking it up in
     * the registry took about 2% of the server's Java samples per append (JFR). Both key sets are small and fixed by the routes.
     */
    private final ConcurrentHashMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<StoreKey, Timer> storeTimers = new ConcurrentHashMap<>();

    private record RequestKey(String method, String route, int status) {
    }

    private record StoreKey(String operation, String outcome) {
    }

    void request(String method, String route, int status, Duration took) {
        requestTimers.computeIfAbsent(new RequestKey(method, route, status), key -> Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("method", key.method()).tag("route", key.route()).tag("status", Integer.toString(key.status()))
                .tag("outcome", key.status() >= 500 ? "SERVER_ERROR" : key.status() >= 400 ? "CLIENT_ERROR" : "SUCCESS")
                .register(registry)).record(took);
    }

    <T> T store(String operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "success";
            return result;
        } finally {
            sample.stop(storeTimers.computeIfAbsent(new StoreKey(operation, outcome), key -> Timer.builder("parley.store.latency")
                    .description("Calls to the session store by operation")
                    .tag("operation", key.operation()).tag("outcome", key.outcome()).register(registry)));
        }
    }

    /**
     * One call to a provider's model, {@code took} from sending it to the whole reply (a stream: to its end), by
     * provider, mode ({@code chat} or {@code stream}) and outcome ({@code success}, {@code error} or {@code cancelled}):
     * the upstream's share of a turn, apart from Parley's own.
     */
    void modelCall(String provider, String mode, String outcome, long tookNanos) {
        Timer.builder("parley.model.latency").description("Calls to the providers' models, to the whole reply")
                .tag("provider", provider).tag("mode", mode).tag("outcome", outcome)
                .register(registry).record(tookNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void sessionCreated() {
        Counter.builder("parley.session.creations").description("Sessions created (create, clone, merge, import)")
                .register(registry).increment();
    }

    void sessionDeleted(int count) {
        Counter.builder("parley.session.deletions").description("Sessions deleted (delete, user erasure, expiry sweeps)")
                .register(registry).increment(count);
    }

    void chatTurn(String provider, long inputTokens, long outputTokens) {
        Counter.builder("parley.chat.turns").description("Chat turns completed").tag("provider", provider)
                .register(registry).increment();
        Counter.builder("parley.tokens").description("Model tokens used by chat turns").tag("provider", provider)
                .tag("direction", "in").register(registry).increment(inputTokens);
        Counter.builder("parley.tokens").description("Model tokens used by chat turns").tag("provider", provider)
                .tag("direction", "out").register(registry).increment(outputTokens);
    }

    String scrape() {
        return registry.scrape();
    }

    void close() {
        registry.close();
    }
}
