package dev.parley.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's meters, exposed at {@code /metrics} in the Prometheus text format: requests and their latency by
 * route template, method and status; store calls by operation; model calls by provider; sessions created and
 * deleted; chat turns and their tokens by provider.
 */
final class Metrics {
    /** Status codes as tag values, made once: {@code Integer.toString} per request showed in the profiles. */
    private static final String[] STATUS_TEXT = new String[600];

    static {
        for (int status = 0; status < STATUS_TEXT.length; status++) {
            STATUS_TEXT[status] = Integer.toString(status);
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * Every meter, by name and tags. Building a meter's id and looking it up in the registry on each use took about 2%
     * of the server's Java samples per append (JFR); the tag values are few (routes, statuses, providers, outcomes).
     */
    private final ConcurrentHashMap<MeterKey, Meter> meters = new ConcurrentHashMap<>();

    private record MeterKey(String name, List<String> tags) {
    }

    private Timer timer(String name, String description, String... tags) {
        return (Timer) meters.computeIfAbsent(new MeterKey(name, List.of(tags)),
                key -> Timer.builder(name).description(description).tags(tags).register(registry));
    }

    private Counter counter(String name, String description, String... tags) {
        return (Counter) meters.computeIfAbsent(new MeterKey(name, List.of(tags)),
                key -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    void request(String method, String route, int status, Duration took) {
        timer("http.server.requests", "HTTP requests by route template, method and status", "method", method, "route", route,
                "status", status >= 0 && status < STATUS_TEXT.length ? STATUS_TEXT[status] : Integer.toString(status),
                "outcome", status >= 500 ? "SERVER_ERROR" : status >= 400 ? "CLIENT_ERROR" : "SUCCESS").record(took);
    }

    <T> T store(String operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "success";
            return result;
        } finally {
            sample.stop(timer("parley.store.latency", "Calls to the session store by operation",
                    "operation", operation, "outcome", outcome));
        }
    }

    /**
     * One call to a provider's model, {@code took} from sending it to the whole reply (a stream: to its end), by
     * provider, mode ({@code chat} or {@code stream}) and outcome ({@code success}, {@code error} or {@code cancelled}):
     * the upstream's share of a turn, apart from Parley's own.
     */
    void modelCall(String provider, String mode, String outcome, long tookNanos) {
        timer("parley.model.latency", "Calls to the providers' models, to the whole reply",
                "provider", provider, "mode", mode, "outcome", outcome).record(tookNanos, TimeUnit.NANOSECONDS);
    }

    void sessionCreated() {
        counter("parley.session.creations", "Sessions created (create, clone, merge, import)").increment();
    }

    void sessionDeleted(int count) {
        counter("parley.session.deletions", "Sessions deleted (delete, user erasure, expiry sweeps)").increment(count);
    }

    void chatTurn(String provider, long inputTokens, long outputTokens) {
        counter("parley.chat.turns", "Chat turns completed", "provider", provider).increment();
        counter("parley.tokens", "Model tokens used by chat turns", "provider", provider, "direction", "in").increment(inputTokens);
        counter("parley.tokens", "Model tokens used by chat turns", "provider", provider, "direction", "out").increment(outputTokens);
    }

    String scrape() {
        return registry.scrape();
    }

    void close() {
        registry.close();
    }
}
