package dev.parley.analytics;

import dev.parley.domain.Role;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Analytics of one session, or summed over a user's or tenant's sessions, computed from the store's
 * counters.
 *
 * @param firstActivity earliest creation among the sessions counted (null for aggregates unless given)
 * @param lastActivity  latest write among the sessions counted
 * @param latencyP50    median model latency, as the upper bound of its histogram bucket (null without calls)
 * @param unpricedModels models that had tokens but no price in the table (their cost is not included)
 */
public record Analytics(Map<Role, Long> messagesByRole, Map<Role, Double> averageLengthByRole, long tokensIn, long tokensOut,
                        long modelCalls, Instant firstActivity, Instant lastActivity, Duration duration,
                        double messagesPerMinute, Duration latencyP50, Duration latencyP95, BigDecimal cost,
                        Set<String> unpricedModels) {

    /** Builds analytics from counters and the activity window. */
    public static Analytics from(Map<String, Long> counters, Instant first, Instant last, PriceTable prices) {
        Map<Role, Long> messages = new EnumMap<>(Role.class);
        Map<Role, Double> averages = new EnumMap<>(Role.class);
        long totalMessages = 0;
        for (Role role : Role.values()) {
            long n = counters.getOrDefault(Counters.messages(role), 0L);
            messages.put(role, n);
            totalMessages += n;
            averages.put(role, n == 0 ? 0.0 : (double) counters.getOrDefault(Counters.chars(role), 0L) / n);
        }
        Duration duration = first == null || last == null ? Duration.ZERO : Duration.between(first, last);
        double minutes = duration.toMillis() / 60_000.0;
        double perMinute = minutes <= 0 ? 0.0 : totalMessages / minutes;

        BigDecimal cost = BigDecimal.ZERO;
        Set<String> unpriced = new TreeSet<>();
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("model.") && name.endsWith(".tokens.in")) {
                String model = name.substring("model.".length(), name.length() - ".tokens.in".length());
                long in = e.getValue();
                long out = counters.getOrDefault("model." + model + ".tokens.out", 0L);
                PriceTable.Price price = prices.lookup(model);
                if (price == null) {
                    if (in + out > 0) {
                        unpriced.add(model);
                    }
                    continue;
                }
                cost = cost.add(price.inputPerMillion().multiply(BigDecimal.valueOf(in))
                        .add(price.outputPerMillion().multiply(BigDecimal.valueOf(out)))
                        .divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.HALF_UP));
            }
        }
        return new Analytics(messages, averages, counters.getOrDefault("tokens.in", 0L), counters.getOrDefault("tokens.out", 0L),
                counters.getOrDefault("model.calls", 0L), first, last, duration, perMinute,
                quantile(counters, 0.50), quantile(counters, 0.95), cost.stripTrailingZeros(), unpriced);
    }

    /** The upper bound of the bucket holding the q-quantile; the open last bucket reports its lower bound. */
    static Duration quantile(Map<String, Long> counters, double q) {
        long[] counts = new long[Counters.LATENCY_BOUNDS_MS.length + 1];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = counters.getOrDefault(Counters.latencyBucket(i), 0L);
            total += counts[i];
        }
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long bound = i < Counters.LATENCY_BOUNDS_MS.length ? Counters.LATENCY_BOUNDS_MS[i]
                        : Counters.LATENCY_BOUNDS_MS[Counters.LATENCY_BOUNDS_MS.length - 1];
                return Duration.ofMillis(bound);
            }
        }
        return Duration.ofMillis(Counters.LATENCY_BOUNDS_MS[Counters.LATENCY_BOUNDS_MS.length - 1]);
    }

    public long messages() {
        return messagesByRole.values().stream().mapToLong(Long::longValue).sum();
    }
}
