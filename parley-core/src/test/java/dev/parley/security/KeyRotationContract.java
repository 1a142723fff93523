package dev.parley.security;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.NewSession;
import dev.parley.store.SessionStore;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KeyRotation} against a real store: after a rotation every user key is wrapped under the new primary, the
 * vaults of their sessions still open with the new key alone, and an erased user stays erased. Subclassed per store.
 * A rotation walks every tenant of its store, so {@link #newStore} must give each test a store of its own (a new
 * file or directory), not a shared server holding other tests' keys.
 */
public abstract class KeyRotationContract {
    private static final String DATA_KEY = "test.dataKey";
    private static final String PLACEHOLDER = "<EMAIL_1>";

    /** A new store over the backend under test. */
    protected abstract SessionStore newStore(MutableClock clock);

    private final MasterKey oldMaster = MasterKey.of("old", Aead.randomBytes(32));
    private final MasterKey newMaster = MasterKey.of("new", Aead.randomBytes(32));
    private final KeyChain before = new KeyChain(KeyRing.of(oldMaster));
    private final KeyChain during = new KeyChain(KeyRing.of(newMaster, oldMaster));
    private final KeyChain after = new KeyChain(KeyRing.of(newMaster));

    private MutableClock clock;
    private SessionStore store;
    private TenantId first;
    private TenantId second;

    @BeforeEach
    void openStore() {
        clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
        store = newStore(clock);
        String base = "r" + SessionId.random().value().substring(0, 12).toLowerCase(java.util.Locale.ROOT);
        first = TenantId.of(base + "-1");
        second = TenantId.of(base + "-2");
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** A session of {@code user} whose vault holds {@code secret}, sealed under a data key wrapped by the user's key. */
    private SessionId privateSession(TenantId tenant, UserId user, String secret) {
        KeyEncryptionKey kek = new UserKeys(store, before).getOrCreate(tenant, user);
        SecretKey dek = KeyChain.newDataKey();
        SessionId id = SessionId.random();
        store.create(new NewSession(tenant, id, user, clock.instant(), null, null, Map.of(),
                Map.of(DATA_KEY, KeyChain.wrapDataKey(kek, dek)), List.of()));
        byte[] sealed = Aead.seal(dek, secret.getBytes(StandardCharsets.UTF_8), PLACEHOLDER.getBytes(StandardCharsets.UTF_8));
        store.write(tenant, id, WriteRequest.builder(clock.instant())
                .vault(List.of(new VaultRow(PLACEHOLDER, "lookup", Base64.getEncoder().encodeToString(sealed)))).build());
        return id;
    }

    /** The vault's secret as a reader configured with {@code chain} restores it. */
    private String open(KeyChain chain, TenantId tenant, UserId user, SessionId id) {
        KeyEncryptionKey kek = new UserKeys(store, chain).find(tenant, user).orElseThrow(
                () -> new KeyException("no key for " + UserKeys.owner(tenant, user)));
        String wrappedDek = store.find(tenant, id).orElseThrow().info().settings().get(DATA_KEY);
        SecretKey dek = KeyChain.unwrapDataKey(kek, wrappedDek, "the data key of session " + id);
        byte[] sealed = Base64.getDecoder().decode(store.vault(tenant, id).getFirst().ciphertext());
        return new String(Aead.open(dek, sealed, PLACEHOLDER.getBytes(StandardCharsets.UTF_8), "vault row"), StandardCharsets.UTF_8);
    }

    private record Owned(TenantId tenant, UserId user, SessionId session, String secret) {
    }

    private List<Owned> seedUsers() {
        List<Owned> owned = new ArrayList<>();
        for (TenantId tenant : List.of(first, second)) {
            for (String name : List.of("ann", "ben", "cat")) {
                UserId user = UserId.of(name);
                String secret = name + "@" + tenant.value() + ".example";
                owned.add(new Owned(tenant, user, privateSession(tenant, user, secret), secret));
            }
        }
        return owned;
    }

    @Test
    void afterARotationEveryVaultOpensWithTheNewMasterKeyAlone() {
        List<Owned> owned = seedUsers();
        assertThatThrownBy(() -> open(after, first, UserId.of("ann"), owned.getFirst().session()))
                .isInstanceOf(KeyException.class).hasMessageContaining("master key 'old', which is not configured");

        KeyRotation.Report report = KeyRotation.rotate(store, during, 2);

        assertThat(report).isEqualTo(new KeyRotation.Report(owned.size(), 0, 0, List.of()));
        assertThat(report.complete()).isTrue();
        for (Owned o : owned) {
            assertThat(store.userKey(o.tenant(), o.user())).hasValueSatisfying(wrapped -> assertThat(wrapped).startsWith("kek1.new."));
            assertThat(open(during, o.tenant(), o.user(), o.session())).isEqualTo(o.secret());
            assertThat(open(after, o.tenant(), o.user(), o.session())).isEqualTo(o.secret());
        }
    }

    @Test
    void aSecondRotationFindsEveryKeyCurrentAndChangesNothing() {
        List<Owned> owned = seedUsers();
        KeyRotation.rotate(store, during);
        List<String> rotated = owned.stream().map(o -> store.userKey(o.tenant(), o.user()).orElseThrow()).toList();

        assertThat(KeyRotation.rotate(store, during)).isEqualTo(new KeyRotation.Report(0, owned.size(), 0, List.of()));
        assertThat(owned.stream().map(o -> store.userKey(o.tenant(), o.user()).orElseThrow()).toList()).isEqualTo(rotated);
    }

    @Test
    void anErasedUserStaysErasedThroughARotation() {
        List<Owned> owned = seedUsers();
        Owned erased = owned.get(1);
        store.deleteUser(erased.tenant(), erased.user());

        KeyRotation.Report report = KeyRotation.rotate(store, during, 2);

        assertThat(report).isEqualTo(new KeyRotation.Report(owned.size() - 1, 0, 0, List.of()));
        assertThat(store.userKey(erased.tenant(), erased.user())).isEmpty();
        assertThat(store.find(erased.tenant(), erased.session())).isEmpty();
        assertThat(store.users(erased.tenant(), null, 10).items()).doesNotContain(erased.user());
    }

    @Test
    void aUserErasedWhileTheirKeyIsBeingRotatedIsCountedAsGoneAndStaysErased() {
        List<Owned> owned = seedUsers();
        Owned erased = owned.get(4);
        SessionStore erasingFirst = intercepting(store, erased, () -> store.deleteUser(erased.tenant(), erased.user()));

        KeyRotation.Report report = KeyRotation.rotate(erasingFirst, during, 2);

        assertThat(report).isEqualTo(new KeyRotation.Report(owned.size() - 1, 0, 1, List.of()));
        assertThat(store.userKey(erased.tenant(), erased.user())).isEmpty();
    }

    @Test
    void aKeyChangedWhileBeingRotatedIsReadAgainAndRotatedAsItNowIs() {
        List<Owned> owned = seedUsers();
        Owned changed = owned.get(2);
        KeyEncryptionKey replacement = KeyChain.newKeyEncryptionKey();
        String owner = UserKeys.owner(changed.tenant(), changed.user());
        SessionStore changingFirst = intercepting(store, changed, () -> {
            String stored = store.userKey(changed.tenant(), changed.user()).orElseThrow();
            assertThat(store.replaceUserKey(changed.tenant(), changed.user(), stored, before.wrap(replacement, owner))).isTrue();
        });

        KeyRotation.Report report = KeyRotation.rotate(changingFirst, during, 2);

        assertThat(report).isEqualTo(new KeyRotation.Report(owned.size(), 0, 0, List.of()));
        String stored = store.userKey(changed.tenant(), changed.user()).orElseThrow();
        assertThat(stored).startsWith("kek1.new.");
        assertThat(after.unwrap(stored, owner)).isEqualTo(replacement);
    }

    @Test
    void aKeyThatCannotBeUnwrappedIsReportedAndLeftAsItIsWhileTheOthersRotate() {
        List<Owned> owned = seedUsers();
        UserId stranger = UserId.of("stranger");
        KeyChain unknown = new KeyChain(KeyRing.of(MasterKey.of("lost", Aead.randomBytes(32))));
        String foreign = unknown.wrap(KeyChain.newKeyEncryptionKey(), UserKeys.owner(first, stranger));
        store.userKeyIfAbsent(first, stranger, foreign);

        KeyRotation.Report report = KeyRotation.rotate(store, during, 2);

        assertThat(report.rotated()).isEqualTo(owned.size());
        assertThat(report.complete()).isFalse();
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.tenant()).isEqualTo(first);
            assertThat(f.user()).isEqualTo(stranger);
            assertThat(f.reason()).contains("master key 'lost', which is not configured");
        });
        assertThat(store.userKey(first, stranger)).contains(foreign);
    }

    /**
     * {@code store}, except that the first {@code replaceUserKey} of {@code target}'s key runs {@code meanwhile}
     * just before it: a concurrent erase or re-wrap landing between the rotation's read and its compare-and-set.
     */
    private static SessionStore intercepting(SessionStore store, Owned target, Runnable meanwhile) {
        boolean[] done = {false};
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("replaceUserKey") && args[0].equals(target.tenant()) && args[1].equals(target.user())
                    && !done[0]) {
                done[0] = true;
                meanwhile.run();
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(), new Class<?>[]{SessionStore.class}, handler);
    }
}
