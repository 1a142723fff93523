package dev.parley.store.redis;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.IdCursor;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;
import dev.parley.store.Scope;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tenants, and each tenant's users, that may hold something: hints on other slots than what they point at,
 * like the session indexes, so checked on every read and never trusted. Each hint is a member of a sorted set
 * (score 0, so ordered by id) plus a token in a hash on the same slot.
 *
 * <p><b>Never missing one.</b> A write that creates something where there may have been nothing (a session, the
 * first key of a state scope, a budget counter, a user key) notes the hints after it landed, with a new token.
 * A reader that finds nothing behind a hint removes it only if its token is still the one it read before looking
 * ({@code unhint.lua}); a write landing meanwhile either changed the token or notes the hint again after the
 * removal. Only a process dying between a write and its note can leave a tenant or user unlisted, until something
 * of theirs is written again; session and user-key creations also note before writing, which closes that window
 * for them. What a reader removes, and what {@link RedisSessionStore#deleteUser} removes, is judged by what may
 * exist (any session hint, state, budget or key), so a hint is never dropped while anything of it remains.
 *
 * <p><b>Older data.</b> Redis data written before these hints existed is found once, by SCAN, when a store first
 * opens it; a marker key records that it was done.
 */
final class Directory {
    private static final int BATCH = 100;
    /** The shapes of tenant keys: {@code <prefix>:{t:<tenant>[:u:<user> | :<kind>[:<id>]]}<suffix>}. */
    private static final Pattern TENANT_KEY = Pattern.compile("\\{t:([a-z0-9][a-z0-9_-]{0,63})(?::(u|app|b|k|s)(?::([^}]+))?)?}(.*)");
    private static final String USER_BUDGET = BudgetKey.Level.USER.name() + ":";

    private final Backend backend;
    private final Index index;

    Directory(Backend backend, Index index) {
        this.backend = backend;
        this.index = index;
    }

    private Keys keys() {
        return backend.keys();
    }

    // ---- noting -----------------------------------------------------------------------------------------------

    /** Notes that {@code users} of {@code tenant} (none: only the tenant) may hold something: the users first, then the tenant. */
    void touch(TenantId tenant, Collection<UserId> users) {
        for (UserId user : users) {
            note(keys().userHints(tenant), keys().userTokens(tenant), user.value());
        }
        note(keys().tenantHints(), keys().tenantTokens(), tenant.value());
    }

    void touch(TenantId tenant, UserId user) {
        touch(tenant, user == null ? List.of() : List.of(user));
    }

    /** The token before the member, on one connection to one slot, so a removal in between sees the new token. */
    private void note(String hints, String tokens, String member) {
        String token = SessionRef.newUid();
        backend.redis().pipeline("note " + member + " in the directory", r -> List.of(
                r.hset(tokens, member, token), r.zadd(hints, 0, member)));
    }

    /** The token of a user's hint now (null if there is none): read before erasing them, for {@link #forgetUser}. */
    String userToken(TenantId tenant, UserId user) {
        return backend.redis().call("read the directory", r -> r.hget(keys().userTokens(tenant), user.value()));
    }

    /** After an erase: drops the user's hint unless something of theirs exists again, or a write noted them since {@code token}. */
    void forgetUser(TenantId tenant, UserId user, String token) {
        if (token != null && !userMayHold(tenant, List.of(user)).getFirst()) {
            unhint(keys().userHints(tenant), keys().userTokens(tenant), user.value(), token);
        }
    }

    private void unhint(String hints, String tokens, String member, String token) {
        backend.redis().run(Script.UNHINT, ScriptOutputType.INTEGER, "drop " + member + " from the directory",
                new String[]{hints, tokens}, member, token);
    }

    // ---- listing ----------------------------------------------------------------------------------------------

    Page<TenantId> tenants(String cursor, int limit) {
        ListCursor.requireLimit(limit);
        TenantId after = IdCursor.tenantAfter(cursor);
        List<TenantId> found = new ArrayList<>();
        walk(keys().tenantHints(), keys().tenantTokens(), after == null ? null : after.value(), limit, members -> {
            List<TenantId> tenants = members.stream().map(TenantId::of).toList();
            List<Holding> holdings = tenantHoldings(tenants);
            List<Boolean> listed = new ArrayList<>();
            for (int i = 0; i < tenants.size(); i++) {
                TenantId tenant = tenants.get(i);
                Holding h = holdings.get(i);
                boolean holds = h.direct || (h.maybe && (index.hasLive(tenant, null) || anyUserState(tenant)));
                listed.add(holds ? Boolean.TRUE : h.maybe ? Boolean.FALSE : null);
                if (holds) {
                    found.add(tenant);
                }
            }
            return listed;
        });
        backend.access().read(found.size());
        return IdCursor.page(found, limit, IdCursor::after);
    }

    Page<UserId> users(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        List<UserId> found = new ArrayList<>();
        walk(keys().userHints(tenant), keys().userTokens(tenant), after == null ? null : after.value(), limit, members -> {
            List<UserId> users = members.stream().map(UserId::of).toList();
            List<Holding> holdings = userHoldings(tenant, users);
            List<Boolean> listed = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                Holding h = holdings.get(i);
                boolean holds = h.direct || (h.maybe && index.hasLive(tenant, users.get(i)));
                listed.add(holds ? Boolean.TRUE : h.maybe ? Boolean.FALSE : null);
                if (holds) {
                    found.add(users.get(i));
                }
            }
            return listed;
        });
        backend.access().read(found.size());
        return IdCursor.page(found, limit, IdCursor::after);
    }

    /**
     * What a batch of hints has behind it: {@code direct} when something that counts exists for certain, {@code maybe}
     * when session hints (or user hints) exist that must be checked further. Neither: nothing at all.
     */
    private record Holding(boolean direct, boolean maybe) {
    }

    /** Judges a batch of members: for each, TRUE (listed), FALSE (not listed, kept) or null (nothing behind it: dropped). */
    private interface Judge {
        List<Boolean> judge(List<String> members);
    }

    /**
     * Reads hints in id order after {@code after} until {@code limit + 1} are listed or none are left. The tokens of a
     * batch are read before anything behind them is looked at, so a hint found empty is dropped only if no write
     * noted it since.
     */
    private void walk(String hints, String tokens, String after, int limit, Judge judge) {
        Range.Boundary<String> lower = after == null ? Range.Boundary.unbounded() : Range.Boundary.excluding(after);
        int listed = 0;
        while (listed <= limit) {
            Range<String> range = Range.from(lower, Range.Boundary.unbounded());
            List<String> members = backend.redis().call("read the directory", r -> r.zrangebylex(hints, range, Limit.create(0, BATCH)));
            if (members.isEmpty()) {
                return;
            }
            List<KeyValue<String, String>> read = backend.redis().call("read the directory",
                    r -> r.hmget(tokens, members.toArray(String[]::new)));
            List<Boolean> verdicts = judge.judge(members);
            for (int i = 0; i < members.size(); i++) {
                if (verdicts.get(i) == null && read.get(i).hasValue()) {
                    unhint(hints, tokens, members.get(i), read.get(i).getValue());
                }
                if (Boolean.TRUE.equals(verdicts.get(i))) {
                    listed++;
                }
            }
            if (members.size() < BATCH) {
                return;
            }
            lower = Range.Boundary.excluding(members.getLast());
        }
    }

    private List<Holding> tenantHoldings(List<TenantId> tenants) {
        List<Object> replies = backend.redis().pipeline("check tenants", r -> tenants.stream().<RedisFuture<?>>mapMulti((t, out) -> {
            // One EXISTS per key: they live on different slots.
            out.accept(r.exists(keys().state(t, Scope.app())));
            out.accept(r.exists(keys().budgets(t)));
            out.accept(r.exists(keys().userKeys(t)));
            out.accept(r.zcard(keys().sessionsOf(t)));
            out.accept(r.zcard(keys().userHints(t)));
        }).toList());
        List<Holding> holdings = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            boolean direct = (Long) replies.get(5 * i) + (Long) replies.get(5 * i + 1) + (Long) replies.get(5 * i + 2) > 0;
            boolean maybe = (Long) replies.get(5 * i + 3) > 0 || (Long) replies.get(5 * i + 4) > 0;
            holdings.add(new Holding(direct, maybe));
        }
        return holdings;
    }

    private List<Holding> userHoldings(TenantId tenant, List<UserId> users) {
        List<Object> replies = backend.redis().pipeline("check users", r -> users.stream().<RedisFuture<?>>mapMulti((u, out) -> {
            out.accept(r.exists(keys().state(tenant, Scope.user(u))));
            out.accept(r.hexists(keys().budgets(tenant), Keys.budgetField(new BudgetKey(BudgetKey.Level.USER, u.value()))));
            out.accept(r.hexists(keys().userKeys(tenant), u.value()));
            out.accept(r.zcard(keys().sessionsOf(tenant, u)));
        }).toList());
        List<Holding> holdings = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            boolean direct = (Long) replies.get(4 * i) > 0 || (Boolean) replies.get(4 * i + 1) || (Boolean) replies.get(4 * i + 2);
            holdings.add(new Holding(direct, (Long) replies.get(4 * i + 3) > 0));
        }
        return holdings;
    }

    /** For each user, whether anything of theirs may exist (a session hint counts): what keeps a hint. */
    private List<Boolean> userMayHold(TenantId tenant, List<UserId> users) {
        return userHoldings(tenant, users).stream().map(h -> h.direct || h.maybe).toList();
    }

    /** Whether any user of the tenant has user-scope state: the one thing a tenant holds only through its users. */
    private boolean anyUserState(TenantId tenant) {
        String hints = keys().userHints(tenant);
        Range.Boundary<String> lower = Range.Boundary.unbounded();
        while (true) {
            Range<String> range = Range.from(lower, Range.Boundary.unbounded());
            List<String> members = backend.redis().call("read the directory", r -> r.zrangebylex(hints, range, Limit.create(0, BATCH)));
            List<Object> exists = backend.redis().pipeline("check user state", r -> members.stream()
                    .map(m -> r.exists(keys().state(tenant, Scope.user(UserId.of(m))))).toList());
            if (exists.stream().anyMatch(n -> (Long) n > 0)) {
                return true;
            }
            if (members.size() < BATCH) {
                return false;
            }
            lower = Range.Boundary.excluding(members.getLast());
        }
    }

    // ---- older data -------------------------------------------------------------------------------------------

    /**
     * Notes every tenant and user that holds something in Redis unless that was done already: data written before
     * the directory existed has no hints. Runs when a store opens; SCANs the keyspace once per key prefix.
     */
    void indexOlderData() {
        String marker = keys().directoryIndexed();
        if ("1".equals(backend.redis().call("read the directory marker", r -> r.get(marker)))) {
            return;
        }
        Map<TenantId, Set<UserId>> found = new TreeMap<>();
        Set<String> userLists = new TreeSet<>();
        String keyPrefix = keys().prefix() + ":";
        backend.redis().scan("find the tenants and users of older data", keys().tenantKeysPattern(), key -> {
            Matcher m = TENANT_KEY.matcher(key.substring(keyPrefix.length()));
            if (!m.matches()) {
                return;
            }
            TenantId tenant = TenantId.of(m.group(1));
            Set<UserId> users = found.computeIfAbsent(tenant, t -> new TreeSet<>());
            String kind = m.group(2);
            if ("u".equals(kind)) {
                users.add(UserId.of(m.group(3)));
            } else if (("b".equals(kind) && m.group(4).equals(":budgets")) || ("k".equals(kind) && m.group(4).equals(":user-keys"))) {
                userLists.add(key);
            }
        });
        for (String key : userLists) {
            Matcher m = TENANT_KEY.matcher(key.substring(keyPrefix.length()));
            if (!m.matches()) {
                throw new IllegalStateException("a key that matched no longer does: " + key);
            }
            TenantId tenant = TenantId.of(m.group(1));
            boolean budgets = "b".equals(m.group(2));
            for (String field : backend.redis().call("read older data", r -> r.hkeys(key))) {
                if (!budgets) {
                    found.get(tenant).add(UserId.of(field));
                } else if (field.startsWith(USER_BUDGET)) {
                    found.get(tenant).add(UserId.of(field.substring(USER_BUDGET.length())));
                }
            }
        }
        found.forEach(this::touch);
        backend.redis().call("write the directory marker", r -> r.set(marker, "1"));
    }
}
