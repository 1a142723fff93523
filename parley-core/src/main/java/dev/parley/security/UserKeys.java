package dev.parley.security;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.SessionStore;

import java.util.Objects;
import java.util.Optional;

/**
 * Users' key-encryption keys in a store: created on first need, wrapped under the primary master key, and read back
 * on every use (never cached), so that erasing a user ({@code SessionStore.deleteUser}, which deletes the key) takes
 * effect at once for every copy of their data.
 */
public final class UserKeys {
    private final SessionStore store;
    private final KeyChain chain;

    public UserKeys(SessionStore store, KeyChain chain) {
        this.store = Objects.requireNonNull(store, "store");
        this.chain = Objects.requireNonNull(chain, "chain");
    }

    public KeyChain chain() {
        return chain;
    }

    /** The user's key, if they have one. */
    public Optional<KeyEncryptionKey> find(TenantId tenant, UserId user) {
        return store.userKey(tenant, user).map(wrapped -> chain.unwrap(wrapped, owner(tenant, user)));
    }

    /** The user's key, created now if they have none; when two processes race, both use the one stored first. */
    public KeyEncryptionKey getOrCreate(TenantId tenant, UserId user) {
        Optional<KeyEncryptionKey> existing = find(tenant, user);
        if (existing.isPresent()) {
            return existing.get();
        }
        String owner = owner(tenant, user);
        String stored = store.userKeyIfAbsent(tenant, user, chain.wrap(KeyChain.newKeyEncryptionKey(), owner));
        return chain.unwrap(stored, owner);
    }

    /** How a user is named in their wrapped key's associated data and in errors. */
    public static String owner(TenantId tenant, UserId user) {
        return "user " + user.value() + " of tenant " + tenant.value();
    }
}
