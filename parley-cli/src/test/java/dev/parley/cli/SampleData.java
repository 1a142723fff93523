package dev.parley.cli;

import dev.parley.Budget;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.BudgetKey;
import dev.parley.store.Scope;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sessions holding everything a migration must carry (branches, checkpoints, session state, pins, a
 * redaction, vault rows, counters, budgets, users' keys and state, app state) in two tenants, and a
 * reading of all of it that compares equal between two stores exactly when the copy is faithful.
 */
final class SampleData {
    static final TenantId ACME = TenantId.of("acme");
    static final List<TenantId> TENANTS = List.of(TenantId.DEFAULT, ACME);

    private SampleData() {
    }

    /** Tenant default: s1 (alice, everything) and s2 (bob, with expiry); tenant acme: a1 (carol). */
    static void fill(String location) {
        try (Parley parley = Parley.builder().store(SessionStores.open(location, Clock.systemUTC())).build()) {
            Session s1 = parley.create(SessionSpec.builder().id("s1").user("alice").systemPrompt("Be brief.")
                    .initialPrompt(Message.user("Example")).metadata("title", "Demo").state("mood", "calm").build());
            Entry question = s1.add(Message.user("What is a monad?"));
            s1.add(Message.assistant("A burrito."));
            s1.state().session().put("topic", Map.of("name", "monads", "depth", 2));
            s1.checkpoint("answered", "before the detour");
            s1.branch("detour");
            s1.on("detour").add(Message.user("And a functor?"));
            Entry secret = s1.add(Message.user("my card is 4111 1111 1111 1111"));
            s1.redact(secret.id(), "admin");
            s1.pin(question.id());
            parley.store().write(TenantId.DEFAULT, s1.id(), WriteRequest.builder(now())
                    .vault(List.of(new VaultRow("<EMAIL_1>", "lookup-1", "Y2lwaGVydGV4dA=="))).counter("custom.count", 3).build());
            Budget.Reservation reservation = s1.budget().reserve(100);
            s1.budget().settle(reservation, 42);
            parley.userState(UserId.of("alice")).put("lang", "fr");
            parley.store().userKeyIfAbsent(TenantId.DEFAULT, UserId.of("alice"), "wrapped-key-of-alice");
            parley.appState().put("motd", Map.of("text", "hello", "level", 1));

            Session s2 = parley.create(SessionSpec.builder().id("s2").user("bob").ttl(Duration.ofDays(30))
                    .idleTtl(Duration.ofDays(7)).build());
            s2.add(Message.user("hi"));
            parley.userState(UserId.of("bob")).put("units", "metric");

            Parley acme = parley.forTenant(ACME);
            Session a1 = acme.create(SessionSpec.builder().id("a1").user("carol").systemPrompt("Acme bot").build());
            a1.add(Message.user("order status?"));
            a1.budget().settle(a1.budget().reserve(30), 30);
            acme.appState().put("plan", "pro");
        }
    }

    /** Adds one session to tenant default of an existing store. */
    static void addSession(String location, String id, String user) {
        try (Parley parley = Parley.builder().store(SessionStores.open(location, Clock.systemUTC())).build()) {
            Session session = parley.create(SessionSpec.builder().id(id).user(user).build());
            session.add(Message.user("late arrival"));
            session.budget().settle(session.budget().reserve(5), 5);
        }
    }

    /** Everything a migration copies of the sample tenants, keyed by what it is. */
    static Map<String, Object> read(String location) {
        try (Parley parley = Parley.builder().store(SessionStores.open(location, Clock.systemUTC())).build()) {
            SessionStore store = parley.store();
            Map<String, Object> all = new TreeMap<>();
            for (TenantId tenant : TENANTS) {
                Set<UserId> users = new LinkedHashSet<>();
                for (SessionInfo info : store.list(tenant, null, null, 100).items()) {
                    SessionId id = info.id();
                    all.put("session " + tenant + "/" + id, SessionChecksum.canonical(parley.forTenant(tenant).export(id)));
                    all.put("budget of session " + tenant + "/" + id, store.budgetUsed(tenant, new BudgetKey(BudgetKey.Level.SESSION, id.value())));
                    users.add(info.user());
                }
                all.put("app state of " + tenant, values(store, tenant, Scope.app()));
                all.put("budget of tenant " + tenant, store.budgetUsed(tenant, new BudgetKey(BudgetKey.Level.TENANT, tenant.value())));
                for (UserId user : users) {
                    String who = tenant + "/" + user;
                    all.put("state of user " + who, values(store, tenant, Scope.user(user)));
                    all.put("key of user " + who, store.userKey(tenant, user));
                    all.put("budget of user " + who, store.budgetUsed(tenant, new BudgetKey(BudgetKey.Level.USER, user.value())));
                }
            }
            return all;
        }
    }

    static Optional<String> userKey(String location, TenantId tenant, String user) {
        try (SessionStore store = SessionStores.open(location, Clock.systemUTC())) {
            return store.userKey(tenant, UserId.of(user));
        }
    }

    private static Map<String, Object> values(SessionStore store, TenantId tenant, Scope scope) {
        Map<String, Object> values = new TreeMap<>();
        store.scopedState(tenant, scope).forEach((k, v) -> values.put(k, ParleyJson.parse(v.value(), "state value")));
        return values;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
