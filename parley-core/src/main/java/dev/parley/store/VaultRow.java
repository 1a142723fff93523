package dev.parley.store;

import java.util.Objects;

/**
 * One reversible placeholder of the privacy layer: {@code lookup} is an HMAC of the normalised value
 * under the session's key and {@code ciphertext} the encrypted original (base64). Unique per session
 * on placeholder and on lookup, so two concurrent turns never issue one placeholder twice.
 */
public record VaultRow(String placeholder, String lookup, String ciphertext) {
    public VaultRow {
        Objects.requireNonNull(placeholder, "placeholder");
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }
}
