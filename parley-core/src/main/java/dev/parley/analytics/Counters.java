package dev.parley.analytics;

import dev.parley.domain.Message;
import dev.parley.domain.Role;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The names of the analytics counters the engine adds to the store with every write, so analytics
 * are read from counters (per session, or summed per user and tenant) and never computed by loading
 * histories. Latency is a histogram of fixed buckets; each call adds one to the bucket it falls in.
 */
public final class Counters {
    /** Upper bounds, in milliseconds, of the latency buckets; the last bucket is open. */
    static final long[] LATENCY_BOUNDS_MS = {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000};

    private Counters() {
    }

    static String messages(Role role) {
        return "messages." + role.wireName();
    }

    static String chars(Role role) {
        return "chars." + role.wireName();
    }

    static String latencyBucket(int index) {
        return index < LATENCY_BOUNDS_MS.length ? "latency.le." + LATENCY_BOUNDS_MS[index] : "latency.le.inf";
    }

    /** The counter increments for appending these messages. */
    public static Map<String, Long> forMessages(Iterable<Message> messages) {
        Map<String, Long> deltas = new TreeMap<>();
        for (Message m : messages) {
            deltas.merge(messages(m.role()), 1L, Long::sum);
            deltas.merge(chars(m.role()), (long) m.text().length(), Long::sum);
        }
        return deltas;
    }

    /**
     * The model's name as a counter name's middle: lower case, every character outside {@code [a-z0-9._-]} an
     * underscore. A loop rather than {@code replaceAll}, which compiled its pattern on every chat turn.
     */
    static String modelKey(String model) {
        String lower = model.toLowerCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean kept = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
            key.append(kept ? c : '_');
        }
        return key.toString();
    }

    /** The counter increments for one model call: tokens (in total and per model) and a latency bucket. */
    public static Map<String, Long> forModelCall(String model, long inputTokens, long outputTokens, Duration latency) {
        Map<String, Long> deltas = new TreeMap<>();
        deltas.put("tokens.in", inputTokens);
        deltas.put("tokens.out", outputTokens);
        String key = modelKey(model);
        deltas.put("model." + key + ".tokens.in", inputTokens);
        deltas.put("model." + key + ".tokens.out", outputTokens);
        deltas.put("model.calls", 1L);
        long ms = latency.toMillis();
        int bucket = 0;
        while (bucket < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[bucket]) {
            bucket++;
        }
        deltas.put(latencyBucket(bucket), 1L);
        deltas.put("latency.total_ms", ms);
        return deltas;
    }
}
