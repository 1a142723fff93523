package dev.parley.models.internal;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long a provider asked a client to wait, from the headers the providers' own SDKs honour:
 * {@code retry-after-ms}, {@code retry-after} (seconds or an HTTP date), OpenAI's
 * {@code x-ratelimit-reset-requests|tokens} ({@code 1s}, {@code 6m0s}, {@code 20ms}) and Anthropic's
 * {@code anthropic-ratelimit-*-reset} (RFC 3339 instants) for an exhausted limit.
 */
public final class RetryAfter {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private RetryAfter() {
    }

    public static Optional<Duration> from(HttpHeaders headers, Clock clock) {
        Optional<Duration> explicit = header(headers, "retry-after-ms").flatMap(RetryAfter::millis)
                .or(() -> header(headers, "retry-after").flatMap(v -> seconds(v).or(() -> httpDate(v, clock))));
        if (explicit.isPresent()) {
            return explicit;
        }
        Duration longest = null;
        for (String limit : new String[] {"requests", "tokens", "input-tokens", "output-tokens"}) {
            Optional<String> remaining = header(headers, "x-ratelimit-remaining-" + limit)
                    .or(() -> header(headers, "anthropic-ratelimit-" + limit + "-remaining"));
            if (remaining.filter(v -> !v.equals("0")).isPresent()) {
                continue;
            }
            Optional<Duration> reset = header(headers, "x-ratelimit-reset-" + limit).flatMap(RetryAfter::goDuration)
                    .or(() -> header(headers, "anthropic-ratelimit-" + limit + "-reset").flatMap(v -> instant(v, clock)));
            if (reset.isPresent() && (longest == null || reset.get().compareTo(longest) > 0)) {
                longest = reset.get();
            }
        }
        return Optional.ofNullable(longest);
    }

    private static Optional<String> header(HttpHeaders headers, String name) {
        return headers.firstValue(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<Duration> millis(String value) {
        try {
            double ms = Double.parseDouble(value);
            return ms >= 0 && Double.isFinite(ms) ? Optional.of(Duration.ofNanos((long) (ms * 1_000_000))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            double s = Double.parseDouble(value);
            return s >= 0 && Double.isFinite(s) ? Optional.of(Duration.ofMillis((long) (s * 1000))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> httpDate(String value, Clock clock) {
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(nonNegative(Duration.between(clock.instant(), at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> instant(String value, Clock clock) {
        try {
            Instant at = OffsetDateTime.parse(value).toInstant();
            return Optional.of(nonNegative(Duration.between(clock.instant(), at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Go's duration syntax, as OpenAI writes its reset headers: {@code 1h2m3.5s}, {@code 20ms}. */
    static Optional<Duration> goDuration(String value) {
        Matcher m = GO_DURATION.matcher(value);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            double amount = Double.parseDouble(m.group(1));
            double unitNanos = switch (m.group(2)) {
                case "h" -> 3_600e9;
                case "m" -> 60e9;
                case "s" -> 1e9;
                default -> 1e6;
            };
            nanos += (long) (amount * unitNanos);
            end = m.end();
        }
        return end == value.length() && end > 0 ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
