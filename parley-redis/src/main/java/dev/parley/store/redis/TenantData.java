package dev.parley.store.redis;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.IdCursor;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;
import dev.parley.store.Scope;
import dev.parley.store.UserKeyRecord;
import dev.parley.store.Versioned;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a tenant keeps outside sessions: user- and app-scope state (one hash per scope, a value and a
 * version per key, never rewritten whole), budget counters (one hash per tenant, so one script checks
 * every limit of a reservation and adds to all of them) and users' wrapped keys (a hash, with the user ids
 * in a sorted set on the same slot so they can be paged in order). Whatever creates a row notes its tenant
 * (and user) in the {@link Directory}.
 */
final class TenantData {
    private static final String VALUE = "v:";
    private static final String VERSION = "n:";

    private final Backend backend;
    private final Directory directory;

    TenantData(Backend backend, Directory directory) {
        this.backend = backend;
        this.directory = directory;
    }

    Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        Map<String, String> fields = backend.redis().call("read state", r -> r.hgetall(backend.keys().state(tenant, scope)));
        Map<String, Versioned<String>> values = new HashMap<>();
        fields.forEach((field, value) -> {
            if (field.startsWith(VALUE)) {
                String key = field.substring(VALUE.length());
                String version = fields.get(VERSION + key);
                if (version != null) {
                    values.put(key, new Versioned<>(value, Long.parseLong(version)));
                }
            }
        });
        return values;
    }

    Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        List<KeyValue<String, String>> row = backend.redis().call("read state",
                r -> r.hmget(backend.keys().state(tenant, scope), VALUE + key, VERSION + key));
        if (!row.get(0).hasValue() || !row.get(1).hasValue()) {
            return Optional.empty();
        }
        return Optional.of(new Versioned<>(row.get(0).getValue(), Long.parseLong(row.get(1).getValue())));
    }

    long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) {
        Objects.requireNonNull(key, "key");
        if (json != null && json.isEmpty()) {
            throw new InvalidInputException("state value", "state value of '" + key + "' must be JSON text, not empty");
        }
        List<Object> reply = backend.redis().run(Script.SCOPED, ScriptOutputType.MULTI, "write state key " + key,
                new String[]{backend.keys().state(tenant, scope)}, key, json == null ? "" : json,
                ifVersion == null ? "" : Long.toString(ifVersion));
        long version = (Long) reply.get(1);
        if ("conflict".equals(reply.get(0))) {
            throw new ConflictException(ConflictException.Reason.VERSION,
                    "state key '" + key + "' is at version " + version + ", not " + ifVersion);
        }
        if (json != null && version == 1) {
            directory.touch(tenant, scope instanceof Scope.User user ? user.user() : null);
        }
        return version;
    }

    void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) {
        if (limits.isEmpty()) {
            return;
        }
        String[] args = new String[1 + 2 * limits.size()];
        args[0] = Long.toString(tokens);
        for (int i = 0; i < limits.size(); i++) {
            args[1 + 2 * i] = Keys.budgetField(limits.get(i).key());
            args[2 + 2 * i] = Long.toString(limits.get(i).limit());
        }
        List<Long> reply = backend.redis().run(Script.RESERVE, ScriptOutputType.MULTI, "reserve budget",
                new String[]{backend.keys().budgets(tenant)}, args);
        int refused = reply.get(0).intValue();
        if (refused >= 0) {
            BudgetLimit limit = limits.get(refused);
            throw new BudgetExceededException(limit.key().toString(), tokens, Math.max(0, limit.limit() - reply.get(1)));
        }
        if (reply.get(1) > 0) {
            touchOwners(tenant, limits.stream().map(BudgetLimit::key).toList());
        }
    }

    /** After budget counters were created: notes the tenant, and the users whose counters they may be. */
    private void touchOwners(TenantId tenant, List<BudgetKey> keys) {
        directory.touch(tenant, keys.stream().filter(k -> k.level() == BudgetKey.Level.USER).map(k -> UserId.of(k.id())).toList());
    }

    void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) {
        if (keys.isEmpty() || actual == reserved) {
            return;
        }
        String[] args = new String[1 + keys.size()];
        args[0] = Long.toString(actual - reserved);
        for (int i = 0; i < keys.size(); i++) {
            args[1 + i] = Keys.budgetField(keys.get(i));
        }
        Long created = backend.redis().run(Script.SETTLE, ScriptOutputType.INTEGER, "settle budget",
                new String[]{backend.keys().budgets(tenant)}, args);
        if (created > 0) {
            touchOwners(tenant, keys);
        }
    }

    long budgetUsed(TenantId tenant, BudgetKey key) {
        String used = backend.redis().call("read budget", r -> r.hget(backend.keys().budgets(tenant), Keys.budgetField(key)));
        return used == null ? 0 : Long.parseLong(used);
    }

    Optional<String> userKey(TenantId tenant, UserId user) {
        return Optional.ofNullable(backend.redis().call("read user key", r -> r.hget(backend.keys().userKeys(tenant), user.value())));
    }

    /** Noted in the directory before too: a process dying right after storing a key must not leave it unlisted. */
    String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) {
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        directory.touch(tenant, user);
        List<Object> reply = backend.redis().run(Script.USER_KEY, ScriptOutputType.MULTI, "store user key",
                new String[]{backend.keys().userKeys(tenant), backend.keys().userKeyIds(tenant)}, user.value(), wrappedKey);
        if ((Long) reply.get(0) == 1L) {
            directory.touch(tenant, user);
        }
        return (String) reply.get(1);
    }

    Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        List<String> flat = backend.redis().run(Script.KEY_PAGE, ScriptOutputType.MULTI, "list user keys",
                new String[]{backend.keys().userKeys(tenant), backend.keys().userKeyIds(tenant)},
                after == null ? "" : after.value(), Integer.toString(limit + 1));
        List<UserKeyRecord> fetched = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
            fetched.add(new UserKeyRecord(UserId.of(flat.get(i)), flat.get(i + 1)));
        }
        backend.access().read(fetched.size());
        return IdCursor.page(fetched, limit, r -> IdCursor.after(r.user()));
    }

    boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) {
        Objects.requireNonNull(expectedWrapped, "expectedWrapped");
        Objects.requireNonNull(newWrapped, "newWrapped");
        Long replaced = backend.redis().run(Script.REKEY, ScriptOutputType.INTEGER, "replace user key",
                new String[]{backend.keys().userKeys(tenant)}, user.value(), expectedWrapped, newWrapped);
        return replaced == 1L;
    }

    /** Deletes a user's key (and its place in the ordered ids). */
    void eraseUserKey(TenantId tenant, UserId user) {
        backend.redis().run(Script.UNKEY, ScriptOutputType.INTEGER, "erase user key",
                new String[]{backend.keys().userKeys(tenant), backend.keys().userKeyIds(tenant)}, user.value());
    }
}
