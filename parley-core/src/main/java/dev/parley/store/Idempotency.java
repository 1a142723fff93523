package dev.parley.store;

import dev.parley.InvalidInputException;

import java.util.Objects;
import java.util.regex.Pattern;

/** An idempotency key with the hash of the request it was first used for. */
public record Idempotency(String key, String requestHash) {
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    public Idempotency {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException("idempotency key", "idempotency key must be 1-255 printable ASCII characters without spaces");
        }
        Objects.requireNonNull(requestHash, "requestHash");
    }
}
