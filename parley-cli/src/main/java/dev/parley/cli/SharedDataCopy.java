package dev.parley.cli;

import dev.parley.ConflictException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.Scope;
import dev.parley.store.SessionStore;
import dev.parley.store.Versioned;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Copies what lives beside the sessions: app-scope state and the tenant's budget; each user's
 * key-encryption key, user-scope state and budget; each session's budget. What the target holds
 * already is never overwritten: an equal value is left as it is, a different one is reported.
 */
final class SharedDataCopy {
    private final SessionStore source;
    private final SessionStore target;
    private final MigrationReport report;

    SharedDataCopy(SessionStore source, SessionStore target, MigrationReport report) {
        this.source = source;
        this.target = target;
        this.report = report;
    }

    void copyTenant(TenantId tenant) {
        copyState(tenant, Scope.app(), tenant + " app state");
        copyBudget(tenant, new BudgetKey(BudgetKey.Level.TENANT, tenant.value()));
    }

    /**
     * Copies a user's key first: vault rows are encrypted under it, so if the target already holds
     * another key for this user their sessions could not be read there, and false says not to copy them.
     */
    boolean copyUser(TenantId tenant, UserId user) {
        String who = tenant + "/" + user;
        Optional<String> key = source.userKey(tenant, user);
        if (key.isPresent()) {
            boolean had = target.userKey(tenant, user).isPresent();
            String stored = target.userKeyIfAbsent(tenant, user, key.get());
            if (!stored.equals(key.get())) {
                report.problems.add("user " + who + " has another key in the target; their sessions and data were not copied,"
                        + " because their vault rows could not be decrypted there");
                return false;
            }
            if (!had) {
                report.userKeys++;
            }
        }
        copyState(tenant, Scope.user(user), "user " + who + " state");
        copyBudget(tenant, new BudgetKey(BudgetKey.Level.USER, user.value()));
        report.users++;
        return true;
    }

    void copySessionBudget(TenantId tenant, SessionId id) {
        copyBudget(tenant, new BudgetKey(BudgetKey.Level.SESSION, id.value()));
    }

    private void copyState(TenantId tenant, Scope scope, String what) {
        Map<String, Versioned<String>> theirs = target.scopedState(tenant, scope);
        for (Map.Entry<String, Versioned<String>> e : new TreeMap<>(source.scopedState(tenant, scope)).entrySet()) {
            String key = e.getKey();
            Versioned<String> existing = theirs.get(key);
            if (existing == null) {
                try {
                    target.putScoped(tenant, scope, key, e.getValue().value(), 0L);
                    report.stateKeys++;
                } catch (ConflictException written) {
                    report.problems.add(what + " key '" + key + "' was written in the target while copying; kept the target's value");
                }
            } else if (!sameJson(existing.value(), e.getValue().value())) {
                report.problems.add(what + " key '" + key + "' differs in the target; kept the target's value");
            }
        }
    }

    private static boolean sameJson(String a, String b) {
        return ParleyJson.parse(a, "state value").equals(ParleyJson.parse(b, "state value"));
    }

    /**
     * Raises the target's counter to the source's. A counter the target already has higher is left
     * alone: a migration must never hand tokens back. Reserving exactly the difference against a
     * limit of the source's value lands the counter on that value, in one atomic step of the store.
     */
    private void copyBudget(TenantId tenant, BudgetKey key) {
        long used = source.budgetUsed(tenant, key);
        long missing = used - target.budgetUsed(tenant, key);
        if (missing > 0) {
            target.reserve(tenant, List.of(new BudgetLimit(key, used)), missing);
            report.budgets++;
        }
    }
}
