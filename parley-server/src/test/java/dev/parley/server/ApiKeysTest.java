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

    @Test
    void aCachingServerRefusesAKeyItRevokedAtOnce() {
        ApiKeys caching = new ApiKeys(store, clock, java.time.Duration.ofSeconds(2));
        ApiKeys.Created created = caching.create(TenantId.of("acme"), ApiKeys.Role.TENANT, null);
        assertThat(caching.authenticate(created.secret())).contains(created.key());

        caching.revoke(created.key().id());

        assertThat(caching.authenticate(created.secret())).isEmpty();
    }

    @Test
    void aKeyRevokedElsewhereIsRefusedOnceTheCachedAcceptanceIsOlderThanTheCacheTime() {
        ApiKeys server = new ApiKeys(store, clock, java.time.Duration.ofSeconds(2));
        ApiKeys otherServer = new ApiKeys(store, clock, java.time.Duration.ofSeconds(2));
        ApiKeys.Created created = otherServer.create(TenantId.of("acme"), ApiKeys.Role.TENANT, null);
        assertThat(server.authenticate(created.secret())).contains(created.key());

        otherServer.revoke(created.key().id());
        clock.advance(java.time.Duration.ofMillis(1_500));
        assertThat(server.authenticate(created.secret())).as("still within the 2 s cache time").isPresent();
        clock.advance(java.time.Duration.ofMillis(600));

        assertThat(server.authenticate(created.secret())).isEmpty();
        assertThat(otherServer.authenticate(created.secret())).isEmpty();
    }

    @Test
    void aRefusalIsNeverCachedSoAKeyCreatedElsewhereWorksAtOnce() {
        ApiKeys server = new ApiKeys(store, clock, java.time.Duration.ofSeconds(2));
        assertThat(server.authenticate("pk_abcdefghjkmn_0123456789abcdefghjkmnpqrstvwxyz")).isEmpty();
        ApiKeys.Created created = new ApiKeys(store, clock).create(TenantId.of("acme"), ApiKeys.Role.TENANT, null);

        assertThat(server.authenticate(created.secret())).contains(created.key());
        String altered = created.secret().substring(0, created.secret().length() - 1) + "0";
        assertThat(server.authenticate(altered)).as("another secret with the same id").isEmpty();
    }

    @Test
    void withoutACacheTimeARevocationElsewhereIsSeenOnTheNextRequest() {
        ApiKeys server = new ApiKeys(store, clock);
        ApiKeys.Created created = server.create(TenantId.of("acme"), ApiKeys.Role.TENANT, null);
        assertThat(server.authenticate(created.secret())).isPresent();

        new ApiKeys(store, clock).revoke(created.key().id());

        assertThat(server.authenticate(created.secret())).isEmpty();
        assertThatThrownBy(() -> new ApiKeys(store, clock, java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheFor must not be negative");
    }
}
