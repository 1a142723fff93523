package dev.parley.server.internal;

import dev.parley.privacy.SessionPrivacy;
import dev.parley.security.KeyRing;
import dev.parley.security.MasterKeys;
import dev.parley.server.ServerConfig;

import java.util.Locale;
import java.util.Set;

/**
 * The privacy layer every chat turn of the server goes through: one {@link SessionPrivacy} under the master key ring
 * of the vaults. The ring is the {@code masterKey} setting; else, on one machine, the key in the data directory
 * ({@code dataDir} when configured, else the store's own directory), generated on first start; else, for a memory
 * store, a key that lives as long as the process. A shared store (PostgreSQL, Redis) without a configured key is
 * refused, so every server can read every vault.
 */
final class VaultKeys {
    private static final Set<String> SINGLE_MACHINE = Set.of("memory", "sqlite", "jsonl");

    private VaultKeys() {
    }

    static SessionPrivacy privacy(ServerConfig config) {
        return SessionPrivacy.builder(ring(config)).sanitizeByDefault(config.sanitize()).build();
    }

    static KeyRing ring(ServerConfig config) {
        String configured = config.masterKey().orElse(null);
        String store = config.store();
        String scheme = store.substring(0, Math.max(0, store.indexOf(':'))).toLowerCase(Locale.ROOT);
        if (configured == null && config.dataDir().isPresent() && SINGLE_MACHINE.contains(scheme)) {
            return MasterKeys.loadOrCreate(config.dataDir().get());
        }
        return MasterKeys.forStore(store, configured);
    }
}
