package dev.parley.security;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.Page;
import dev.parley.store.SessionStore;
import dev.parley.store.UserKeyRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Re-wraps every user's key-encryption key in a store under the primary master key of a {@link KeyChain}: the
 * work of {@code parley keys rotate}. Only the wrapping changes; the keys themselves, and so every session's data
 * key and vault, stay as they are. Once a rotation reports no failures, the older master keys can be removed from
 * the configuration.
 *
 * <pre>{@code
 * KeyChain chain = new KeyChain(MasterKeys.fromConfiguration("k2:NEWKEY,k1:OLDKEY"));
 * KeyRotation.Report report = KeyRotation.rotate(store, chain);
 * }</pre>
 *
 * <p>Each key is replaced by a compare-and-set ({@link SessionStore#replaceUserKey}), so a rotation runs safely
 * beside live servers and beside another rotation: a user erased meanwhile stays erased (counted as gone), and a key
 * changed meanwhile is read again and handled as it now is. A key that cannot be unwrapped (its master key is not
 * configured, or it was altered) is reported and left as it is; the rest are rotated. A failure of the store itself
 * stops the rotation with its exception; running it again is safe, since keys already under the primary are skipped.
 *
 * <p>Servers should be configured with the new primary key before the rotation starts: a key created during the
 * walk by a server still wrapping under the old primary may be missed, which a second run finds.
 */
public final class KeyRotation {
    /** Keys (and tenants) read per page of the walk. */
    static final int PAGE = 500;
    /** How often one user's key may change under a rotation before it gives up on that user. */
    static final int ATTEMPTS = 5;

    /** A key that could not be rotated, and why; the key was left as it was. */
    public record Failure(TenantId tenant, UserId user, String reason) {
        public Failure {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What a rotation did: keys re-wrapped under the primary, keys found already under it, keys that disappeared
     * while being rotated (their user was erased), and the keys it could not rotate.
     */
    public record Report(long rotated, long alreadyCurrent, long gone, List<Failure> failures) {
        public Report {
            failures = List.copyOf(failures);
        }

        public long failed() {
            return failures.size();
        }

        /** Whether every key in the store is now wrapped under the primary, so older master keys may be retired. */
        public boolean complete() {
            return failures.isEmpty();
        }
    }

    private final SessionStore store;
    private final KeyChain chain;
    private final int pageSize;
    private long rotated;
    private long alreadyCurrent;
    private long gone;
    private final List<Failure> failures = new ArrayList<>();

    private KeyRotation(SessionStore store, KeyChain chain, int pageSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.pageSize = pageSize;
    }

    /** Rotates every user key of every tenant in {@code store} to {@code chain}'s primary master key. */
    public static Report rotate(SessionStore store, KeyChain chain) {
        return rotate(store, chain, PAGE);
    }

    static Report rotate(SessionStore store, KeyChain chain, int pageSize) {
        return new KeyRotation(store, chain, pageSize).run();
    }

    private Report run() {
        String tenantCursor = null;
        do {
            Page<TenantId> tenants = store.tenants(tenantCursor, pageSize);
            tenants.items().forEach(this::rotateTenant);
            tenantCursor = tenants.nextCursor();
        } while (tenantCursor != null);
        return new Report(rotated, alreadyCurrent, gone, failures);
    }

    private void rotateTenant(TenantId tenant) {
        String cursor = null;
        do {
            Page<UserKeyRecord> keys = store.userKeys(tenant, cursor, pageSize);
            keys.items().forEach(key -> rotateUser(tenant, key.user(), key.wrapped()));
            cursor = keys.nextCursor();
        } while (cursor != null);
    }

    private void rotateUser(TenantId tenant, UserId user, String listed) {
        String owner = UserKeys.owner(tenant, user);
        String current = listed;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String next;
            try {
                if (chain.isWrappedUnderPrimary(current)) {
                    alreadyCurrent++;
                    return;
                }
                next = chain.rewrap(current, owner);
            } catch (KeyException e) {
                failures.add(new Failure(tenant, user, e.getMessage()));
                return;
            }
            if (store.replaceUserKey(tenant, user, current, next)) {
                rotated++;
                return;
            }
            Optional<String> now = store.userKey(tenant, user);
            if (now.isEmpty()) {
                gone++;
                return;
            }
            current = now.get();
        }
        failures.add(new Failure(tenant, user, "the key of " + owner + " changed " + ATTEMPTS
                + " times while it was being rotated; run the rotation again"));
    }
}
