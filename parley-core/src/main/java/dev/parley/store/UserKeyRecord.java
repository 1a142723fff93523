package dev.parley.store;

import dev.parley.domain.UserId;

import java.util.Objects;

/** One user's stored key-encryption key, wrapped under a master key, as {@link SessionStore#userKeys} lists it. */
public record UserKeyRecord(UserId user, String wrapped) {
    public UserKeyRecord {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(wrapped, "wrapped");
    }
}
