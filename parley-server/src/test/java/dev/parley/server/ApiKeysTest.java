package dev.parley.server;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.TenantId;
import dev.parley.store.Scope;
import dev.parley.store.memory.InMemorySessionStore;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {
    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final InMemorySessionStore store = new InMemorySessionStore(clock);
    private final ApiKeys keys = new ApiKeys(store, clock);

    @Test
    void aCreatedKeyAuthenticatesAndOnlyItsHashIsStored() {
        ApiKeys.Created created = keys.create(TenantId.of("acme"), ApiKeys.Role.TENANT, "ci");

        assertThat(created.secret()).matches("pk_[0-9a-z]{12}_[0-9a-z]{32}");
        assertThat(keys.authenticate(created.secret())).contains(created.key());
        String stored = store.scopedState(TenantId.of(ApiKeys.RESERVED_TENANT), Scope.app()).toString();
        assertThat(stored).doesNotContain(created.secret().substring(16));
        assertThat(stored).contains("\"hash\"");
    }

    @Test
    void aKeyWithOneCharacterChangedIsRefused() {
        String secret = keys.create(TenantId.of("acme"), ApiKeys.Role.TENANT, null).secret();
        char last = secret.charAt(secret.length() - 1);
        String altered = secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a');

        assertThat(keys.authenticate(altered)).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate("pk_../../x")).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedAndStaysListed() {
        ApiKeys.Created created = keys.create(TenantId.of("acme"), ApiKeys.Role.ADMIN, null);
        clock.advance(java.time.Duration.ofMinutes(1));

        ApiKeys.Key revoked = keys.revoke(created.key().id());

        assertThat(revoked.revokedAt()).isEqualTo(clock.instant());
        assertThat(keys.authenticate(created.secret())).isEmpty();
        assertThat(keys.list()).extracting(ApiKeys.Key::active).containsExactly(false);
        assertThat(keys.revoke(created.key().id())).isEqualTo(revoked);
        assertThatThrownBy(() -> keys.revoke("nope")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aConfiguredKeyIsRegisteredOnceWhateverItLooksLike() {
        ApiKeys.Key first = keys.register("my-script-key-0123456789", TenantId.of("default"), ApiKeys.Role.ADMIN, "configured");
        ApiKeys.Key again = keys.register("my-script-key-0123456789", TenantId.of("default"), ApiKeys.Role.ADMIN, "configured");

        assertThat(again).isEqualTo(first);
        assertThat(keys.list()).hasSize(1);
        assertThat(keys.authenticate("my-script-key-0123456789")).contains(first);
        assertThatThrownBy(() -> keys.register("short", TenantId.of("default"), ApiKeys.Role.ADMIN, null))
                .isInstanceOf(InvalidInputException.class).hasMessageNotContaining("short'");
    }

    @Test
    void theFirstAdminKeyIsCreatedOnlyWhenThereIsNoKeyAtAll() {
        assertThat(keys.bootstrap(TenantId.of("default"))).isPresent();
        assertThat(keys.bootstrap(TenantId.of("default"))).isEmpty();
        assertThat(keys.list()).hasSize(1).first().extracting(ApiKeys.Key::role).isEqualTo(ApiKeys.Role.ADMIN);
    }

    @Test
    void theReservedTenantCannotHoldKeys() {
        assertThatThrownBy(() -> keys.create(TenantId.of(ApiKeys.RESERVED_TENANT), ApiKeys.Role.TENANT, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reserved");
    }
}
