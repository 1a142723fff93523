package dev.parley.cli;

import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.Page;
import dev.parley.store.SessionStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a migration will copy, read before anything is written: every session of the named tenants
 * in the source, which of them the target holds already, and the users they belong to (whose keys,
 * user-scope state and budgets travel with them).
 */
record MigrationPlan(List<TenantPlan> tenants) {
    private static final int PAGE = 500;

    MigrationPlan {
        tenants = List.copyOf(tenants);
    }

    /** One tenant's sessions; {@code existing} are those whose id the target has taken already. */
    record TenantPlan(TenantId tenant, List<SessionInfo> sessions, Set<SessionId> existing, Set<UserId> users) {
        TenantPlan {
            sessions = List.copyOf(sessions);
            existing = Set.copyOf(existing);
            users = Set.copyOf(users);
        }

        List<SessionInfo> toCopy() {
            return sessions.stream().filter(s -> !existing.contains(s.id())).toList();
        }
    }

    static MigrationPlan read(SessionStore source, SessionStore target, List<TenantId> tenants) {
        List<TenantPlan> plans = new ArrayList<>();
        for (TenantId tenant : tenants) {
            List<SessionInfo> sessions = new ArrayList<>();
            Set<SessionId> existing = new LinkedHashSet<>();
            Set<UserId> users = new LinkedHashSet<>();
            String cursor = null;
            do {
                Page<SessionInfo> page = source.list(tenant, null, cursor, PAGE);
                for (SessionInfo info : page.items()) {
                    sessions.add(info);
                    users.add(info.user());
                    if (target.find(tenant, info.id()).isPresent()) {
                        existing.add(info.id());
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null);
            // Users with state, a budget or a key but no session are copied too.
            String userCursor = null;
            do {
                Page<UserId> page = source.users(tenant, userCursor, PAGE);
                users.addAll(page.items());
                userCursor = page.nextCursor();
            } while (userCursor != null);
            plans.add(new TenantPlan(tenant, sessions, existing, users));
        }
        return new MigrationPlan(plans);
    }

    int sessionCount() {
        return tenants.stream().mapToInt(t -> t.sessions().size()).sum();
    }

    int toCopyCount() {
        return tenants.stream().mapToInt(t -> t.toCopy().size()).sum();
    }

    /** {@code tenant/id} of every session the target holds already, in listing order. */
    List<String> existing() {
        List<String> names = new ArrayList<>();
        for (TenantPlan t : tenants) {
            t.sessions().stream().filter(s -> t.existing().contains(s.id())).forEach(s -> names.add(t.tenant() + "/" + s.id()));
        }
        return names;
    }
}
