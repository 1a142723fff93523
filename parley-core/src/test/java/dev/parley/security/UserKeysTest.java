package dev.parley.security;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.memory.InMemorySessionStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class UserKeysTest {
    private final InMemorySessionStore store = new InMemorySessionStore(Clock.systemUTC());
    private final UserKeys keys = new UserKeys(store, new KeyChain(KeyRing.of(MasterKey.generate())));
    private final UserId alice = UserId.of("alice");

    @Test
    void aUserGetsOneKeyOnFirstNeedStoredWrapped() {
        assertThat(keys.find(TenantId.DEFAULT, alice)).isEmpty();
        KeyEncryptionKey created = keys.getOrCreate(TenantId.DEFAULT, alice);
        assertThat(keys.getOrCreate(TenantId.DEFAULT, alice)).isEqualTo(created);
        assertThat(store.userKey(TenantId.DEFAULT, alice)).hasValueSatisfying(wrapped ->
                assertThat(wrapped).startsWith("kek1.").doesNotContain(java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(created.key().getEncoded())));
    }

    @Test
    void tenantsHaveSeparateKeysForOneUserName() {
        assertThat(keys.getOrCreate(TenantId.of("a"), alice)).isNotEqualTo(keys.getOrCreate(TenantId.of("b"), alice));
    }

    @Test
    void erasingTheUserDeletesTheKey() {
        keys.getOrCreate(TenantId.DEFAULT, alice);
        store.deleteUser(TenantId.DEFAULT, alice);
        assertThat(keys.find(TenantId.DEFAULT, alice)).isEmpty();
    }
}
