package dev.parley.store.jsonl;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.Scope;
import dev.parley.store.UserKeyRecord;
import dev.parley.store.Versioned;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A tenant's rows outside sessions, each kind in its own append-only log: user- and app-scope state
 * ({@code state.jsonl}, one line per change of a key), budget counters ({@code budgets.jsonl}, the new
 * totals of a reservation or settlement) and users' wrapped keys ({@code keys.jsonl}). The last line
 * about a row wins on load. A log is compacted (rewritten atomically from memory) when it has grown
 * well past the rows it holds, and when a user is erased, so an erased user's key and state leave the
 * disk rather than lingering in old lines; and when replaced keys (a rotation) would make up half of the keys log.
 */
final class TenantState {
    /** A log is compacted once it holds this many lines and four times as many lines as live rows. */
    static final int COMPACT_AT = 1024;

    /** One log file, its lock (which also guards the rows it holds) and its line count. */
    private static final class Log {
        final ReentrantLock lock = new ReentrantLock();
        LogFile file;
        int lines;
    }

    private final Layout layout;
    private final TenantId tenant;
    private final Log state = new Log();
    private final Log budgets = new Log();
    private final Log keys = new Log();
    private final Map<Scope, Map<String, Versioned<String>>> scoped = new LinkedHashMap<>();
    private final Map<BudgetKey, Long> used = new LinkedHashMap<>();
    private final Map<UserId, String> userKeys = new LinkedHashMap<>();

    private TenantState(Layout layout, TenantId tenant) {
        this.layout = layout;
        this.tenant = tenant;
    }

    /** The tenant's rows as its logs hold them (none, when it has no logs yet). */
    static TenantState load(Layout layout, TenantId tenant) {
        TenantState loaded = new TenantState(layout, tenant);
        loaded.state.file = LogFile.load(layout.tenantLog(tenant, "state"), (line, n) -> {
            loaded.applyState(line);
            loaded.state.lines++;
        });
        loaded.budgets.file = LogFile.load(layout.tenantLog(tenant, "budgets"), (line, n) -> {
            loaded.applyBudgets(line);
            loaded.budgets.lines++;
        });
        loaded.keys.file = LogFile.load(layout.tenantLog(tenant, "keys"), (line, n) -> {
            loaded.applyKey(line);
            loaded.keys.lines++;
        });
        return loaded;
    }

    // ---- scoped state -------------------------------------------------------------------------------

    Map<String, Versioned<String>> scopedState(Scope scope) {
        return locked(state, () -> Map.copyOf(scoped.getOrDefault(scope, Map.of())));
    }

    Optional<Versioned<String>> scopedValue(Scope scope, String key) {
        return locked(state, () -> Optional.ofNullable(scoped.getOrDefault(scope, Map.of()).get(key)));
    }

    long putScoped(Scope scope, String key, String json, Long ifVersion) {
        return locked(state, () -> {
            Versioned<String> current = scoped.getOrDefault(scope, Map.of()).get(key);
            long currentVersion = current == null ? 0 : current.version();
            if (ifVersion != null && ifVersion != currentVersion) {
                throw new ConflictException(ConflictException.Reason.VERSION,
                        "state key '" + key + "' is at version " + currentVersion + ", not " + ifVersion);
            }
            if (json == null && current == null) {
                return 0L;
            }
            long next = json == null ? 0 : currentVersion + 1;
            ObjectNode line = stateLine(scope, key, json == null ? null : new Versioned<>(json, next));
            append(state, line, () -> stateLines(scoped), scoped.values().stream().mapToInt(Map::size).sum());
            applyState(line);
            return next;
        });
    }

    // ---- budgets ------------------------------------------------------------------------------------

    void reserve(List<BudgetLimit> limits, long tokens) {
        run(budgets, () -> {
            for (BudgetLimit limit : limits) {
                long current = used.getOrDefault(limit.key(), 0L);
                if (current + tokens > limit.limit()) {
                    throw new BudgetExceededException(limit.key().toString(), tokens, Math.max(0, limit.limit() - current));
                }
            }
            Map<BudgetKey, Long> deltas = new LinkedHashMap<>();
            limits.forEach(limit -> deltas.merge(limit.key(), tokens, Long::sum));
            addToBudgets(deltas);
        });
    }

    void settle(List<BudgetKey> keysToSettle, long reserved, long actual) {
        run(budgets, () -> {
            Map<BudgetKey, Long> deltas = new LinkedHashMap<>();
            keysToSettle.forEach(key -> deltas.merge(key, actual - reserved, Long::sum));
            addToBudgets(deltas);
        });
    }

    long budgetUsed(BudgetKey key) {
        return locked(budgets, () -> used.getOrDefault(key, 0L));
    }

    /** Writes the new totals of the counters that change (one line, so a reservation lands whole or not at all). */
    private void addToBudgets(Map<BudgetKey, Long> deltas) {
        Map<BudgetKey, Long> totals = new LinkedHashMap<>();
        deltas.forEach((key, delta) -> {
            if (delta != 0) {
                totals.put(key, used.getOrDefault(key, 0L) + delta);
            }
        });
        if (totals.isEmpty()) {
            return;
        }
        ObjectNode line = budgetLine(totals);
        append(budgets, line, () -> budgetLines(used), used.size());
        applyBudgets(line);
    }

    /** Forgets one budget counter (a deleted session's). */
    void forgetBudget(BudgetKey key) {
        run(budgets, () -> {
            if (used.containsKey(key)) {
                ObjectNode line = Lines.start("remove");
                line.putArray("budgets").addObject().put("level", key.level().name().toLowerCase(Locale.ROOT)).put("id", key.id());
                append(budgets, line, () -> budgetLines(used), used.size());
                applyBudgets(line);
            }
        });
    }

    // ---- users' keys --------------------------------------------------------------------------------

    Optional<String> userKey(UserId user) {
        return locked(keys, () -> Optional.ofNullable(userKeys.get(user)));
    }

    String userKeyIfAbsent(UserId user, String wrappedKey) {
        return locked(keys, () -> {
            String existing = userKeys.get(user);
            if (existing != null) {
                return existing;
            }
            ObjectNode line = keyLine(user, wrappedKey);
            append(keys, line, () -> keyLines(userKeys), userKeys.size());
            applyKey(line);
            return wrappedKey;
        });
    }

    /** The keys of the users after {@code after} (all, when null) in id order, at most {@code max}. */
    List<UserKeyRecord> userKeys(UserId after, int max) {
        return locked(keys, () -> new TreeMap<>(userKeys).entrySet().stream()
                .filter(e -> after == null || e.getKey().compareTo(after) > 0)
                .limit(max)
                .map(e -> new UserKeyRecord(e.getKey(), e.getValue()))
                .toList());
    }

    /**
     * Replaces a user's key if it is still {@code expected}. The superseded line stays in the log until it is
     * compacted; so that a rotation does not leave every old wrap on disk, the log is rewritten once superseded
     * lines would make up half of it (at the end of a rotation of every key, usually).
     */
    boolean replaceUserKey(UserId user, String expected, String replacement) {
        return locked(keys, () -> {
            if (!expected.equals(userKeys.get(user))) {
                return false;
            }
            ObjectNode line = keyLine(user, replacement);
            if (keys.lines + 1 >= 2 * userKeys.size()) {
                Map<UserId, String> next = new LinkedHashMap<>(userKeys);
                next.put(user, replacement);
                replace(keys, keyLines(next));
            } else {
                append(keys, line, () -> keyLines(userKeys), userKeys.size());
            }
            applyKey(line);
            return true;
        });
    }

    // ---- what the tenant holds ----------------------------------------------------------------------

    /** Whether the tenant holds any state, budget counter or user key. */
    boolean holdsAnything() {
        return locked(state, () -> !scoped.isEmpty()) || locked(budgets, () -> !used.isEmpty())
                || locked(keys, () -> !userKeys.isEmpty());
    }

    /** Adds the users holding user-scope state, a user budget counter or a key to {@code users}. */
    void addUsersTo(Set<UserId> users) {
        run(state, () -> scoped.keySet().forEach(scope -> {
            if (scope instanceof Scope.User user) {
                users.add(user.user());
            }
        }));
        run(budgets, () -> used.keySet().stream().filter(key -> key.level() == BudgetKey.Level.USER)
                .forEach(key -> users.add(UserId.of(key.id()))));
        run(keys, () -> users.addAll(userKeys.keySet()));
    }

    // ---- erasure ------------------------------------------------------------------------------------

    /**
     * Removes a user's state, budget and key from the disk (each log that held any of them is rewritten
     * without them), then from memory.
     */
    void eraseUser(UserId user) {
        Scope scope = Scope.user(user);
        run(state, () -> {
            if (scoped.containsKey(scope)) {
                Map<Scope, Map<String, Versioned<String>>> remaining = new LinkedHashMap<>(scoped);
                remaining.remove(scope);
                replace(state, stateLines(remaining));
                scoped.remove(scope);
            }
        });
        BudgetKey budget = new BudgetKey(BudgetKey.Level.USER, user.value());
        run(budgets, () -> {
            if (used.containsKey(budget)) {
                Map<BudgetKey, Long> remaining = new LinkedHashMap<>(used);
                remaining.remove(budget);
                replace(budgets, budgetLines(remaining));
                used.remove(budget);
            }
        });
        run(keys, () -> {
            if (userKeys.containsKey(user)) {
                Map<UserId, String> remaining = new LinkedHashMap<>(userKeys);
                remaining.remove(user);
                replace(keys, keyLines(remaining));
                userKeys.remove(user);
            }
        });
    }

    // ---- the logs -----------------------------------------------------------------------------------

    private void append(Log log, ObjectNode line, Supplier<List<ObjectNode>> snapshot, int liveRows) {
        if (log.lines >= COMPACT_AT && log.lines > 4 * liveRows) {
            replace(log, snapshot.get());
        }
        if (!log.file.exists()) {
            layout.ensureDirectory(layout.tenantDir(tenant));
        }
        log.file.append(Lines.bytes(line));
        log.lines++;
    }

    private void replace(Log log, List<ObjectNode> lines) {
        layout.ensureDirectory(layout.tenantDir(tenant));
        log.file.replace(lines.stream().map(Lines::bytes).toList());
        log.lines = lines.size();
    }

    private static <T> T locked(Log log, Supplier<T> body) {
        log.lock.lock();
        try {
            return body.get();
        } finally {
            log.lock.unlock();
        }
    }

    private static void run(Log log, Runnable body) {
        log.lock.lock();
        try {
            body.run();
        } finally {
            log.lock.unlock();
        }
    }

    // ---- lines --------------------------------------------------------------------------------------

    private static ObjectNode stateLine(Scope scope, String key, Versioned<String> value) {
        ObjectNode line = Lines.start(value == null ? "remove" : "put");
        switch (scope) {
            case Scope.User user -> line.put("scope", "user").put("user", user.user().value());
            case Scope.App app -> line.put("scope", "app");
        }
        line.put("key", key);
        if (value != null) {
            line.put("value", value.value()).put("version", value.version());
        }
        return line;
    }

    private void applyState(JsonNode line) {
        String op = Lines.op(line);
        String scopeName = Fields.string(line, "scope");
        Scope scope = switch (scopeName) {
            case "user" -> Scope.user(UserId.of(Fields.string(line, "user")));
            case "app" -> Scope.app();
            default -> throw new IllegalArgumentException("unknown scope '" + scopeName + "'");
        };
        String key = Fields.string(line, "key");
        switch (op) {
            case "put" -> scoped.computeIfAbsent(scope, s -> new HashMap<>())
                    .put(key, new Versioned<>(Fields.string(line, "value"), Fields.integer(line, "version")));
            case "remove" -> {
                Map<String, Versioned<String>> values = scoped.get(scope);
                if (values != null) {
                    values.remove(key);
                    if (values.isEmpty()) {
                        scoped.remove(scope);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown op '" + op + "'");
        }
    }

    private static List<ObjectNode> stateLines(Map<Scope, Map<String, Versioned<String>>> rows) {
        List<ObjectNode> lines = new ArrayList<>();
        rows.forEach((scope, values) -> values.forEach((key, value) -> lines.add(stateLine(scope, key, value))));
        return lines;
    }

    private static ObjectNode budgetLine(Map<BudgetKey, Long> totals) {
        ObjectNode line = Lines.start("set");
        ArrayNode rows = line.putArray("budgets");
        totals.forEach((key, total) -> rows.addObject().put("level", key.level().name().toLowerCase(Locale.ROOT))
                .put("id", key.id()).put("used", total));
        return line;
    }

    private void applyBudgets(JsonNode line) {
        String op = Lines.op(line);
        if (!op.equals("set") && !op.equals("remove")) {
            throw new IllegalArgumentException("unknown op '" + op + "'");
        }
        for (JsonNode row : Fields.array(line, "budgets")) {
            String level = Fields.string(row, "level");
            BudgetKey.Level parsed;
            try {
                parsed = BudgetKey.Level.valueOf(level.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown budget level '" + level + "'", e);
            }
            BudgetKey key = new BudgetKey(parsed, Fields.string(row, "id"));
            if (op.equals("set")) {
                used.put(key, Fields.integer(row, "used"));
            } else {
                used.remove(key);
            }
        }
    }

    private static List<ObjectNode> budgetLines(Map<BudgetKey, Long> rows) {
        return rows.isEmpty() ? List.of() : List.of(budgetLine(rows));
    }

    private static ObjectNode keyLine(UserId user, String wrappedKey) {
        return Lines.start("put").put("user", user.value()).put("key", wrappedKey);
    }

    private void applyKey(JsonNode line) {
        String op = Lines.op(line);
        if (!op.equals("put")) {
            throw new IllegalArgumentException("unknown op '" + op + "'");
        }
        userKeys.put(UserId.of(Fields.string(line, "user")), Fields.string(line, "key"));
    }

    private static List<ObjectNode> keyLines(Map<UserId, String> rows) {
        List<ObjectNode> lines = new ArrayList<>();
        rows.forEach((user, key) -> lines.add(keyLine(user, key)));
        return lines;
    }
}
