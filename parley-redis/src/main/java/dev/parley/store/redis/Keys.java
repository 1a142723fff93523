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
 * keys, one scope's state. The indexes that span sessions live on other slots and are only hints.
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
