package dev.parley.store.redis;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.Scope;

/**
 * The names of every key the store uses. Tenant, session and user ids are validated identifiers
 * without braces, so they are safe inside keys and hash tags. What must change together shares a
 * hash tag (one slot in a cluster): all keys of one session, one tenant's budgets, one tenant's user
 * keys, one scope's state. The indexes that span sessions (and the tenant and user hints) live on
 * other slots and are only hints.
 */
final class Keys {
    private final String prefix;

    Keys(String prefix) {
        RedisLocation.requirePrefix(prefix);
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    SessionKeys session(TenantId tenant, SessionId id) {
        return new SessionKeys(prefix + ":{t:" + tenant.value() + ":s:" + id.value() + "}");
    }

    /** A tenant's sessions, ordered by creation (members of {@link SessionRef#indexMember()}). */
    String sessionsOf(TenantId tenant) {
        return prefix + ":{t:" + tenant.value() + "}:sessions";
    }

    /** One user's sessions, ordered like {@link #sessionsOf(TenantId)}. */
    String sessionsOf(TenantId tenant, UserId user) {
        return userTag(tenant, user) + ":sessions";
    }

    /** A scope's state: fields {@code v:<key>} hold values, {@code n:<key>} their versions. */
    String state(TenantId tenant, Scope scope) {
        return switch (scope) {
            case Scope.User user -> userTag(tenant, user.user()) + ":state";
            case Scope.App app -> prefix + ":{t:" + tenant.value() + ":app}:state";
        };
    }

    /** A tenant's budget counters, one hash so one script can check and add to several at once. */
    String budgets(TenantId tenant) {
        return prefix + ":{t:" + tenant.value() + ":b}:budgets";
    }

    /** The field of a budget counter in {@link #budgets(TenantId)}. */
    static String budgetField(BudgetKey key) {
        return key.level().name() + ":" + key.id();
    }

    /** A tenant's users' wrapped key-encryption keys. */
    String userKeys(TenantId tenant) {
        return prefix + ":{t:" + tenant.value() + ":k}:user-keys";
    }

    /** A tenant's users' ids that have a key, scored 0 so they sort by id: kept with {@link #userKeys} by the same scripts. */
    String userKeyIds(TenantId tenant) {
        return prefix + ":{t:" + tenant.value() + ":k}:user-key-ids";
    }

    /** Hints of the tenants that may hold something, scored 0 so they sort by id (see {@link Directory}). */
    String tenantHints() {
        return prefix + ":{tenants}:hints";
    }

    /** Tenant id → the token of the last write that noted it in {@link #tenantHints()}; same slot. */
    String tenantTokens() {
        return prefix + ":{tenants}:tokens";
    }

    /** Hints of a tenant's users that may hold something, by id; in the slot of {@link #sessionsOf(TenantId)}. */
    String userHints(TenantId tenant) {
        return prefix + ":{t:" + tenant.value() + "}:users";
    }

    /** User id → the token of the last write that noted it in {@link #userHints}; same slot. */
    String userTokens(TenantId tenant) {
        return prefix + ":{t:" + tenant.value() + "}:user-tokens";
    }

    /** Set once the tenant and user hints cover everything in Redis (data from before they existed included). */
    String directoryIndexed() {
        return prefix + ":directory-indexed";
    }

    /** The glob matching every key of every tenant: what indexing older data scans for. */
    String tenantKeysPattern() {
        return prefix + ":{t:*";
    }

    /** Every session that expires (or is being created), scored by when the sweeper should look at it. */
    String expiry() {
        return prefix + ":expiry";
    }

    /** Every session holding idempotency records, scored by its oldest record's time. */
    String idempotency() {
        return prefix + ":idempotency";
    }

    private String userTag(TenantId tenant, UserId user) {
        return prefix + ":{t:" + tenant.value() + ":u:" + user.value() + "}";
    }
}
