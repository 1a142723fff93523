package dev.parley.cli;

import dev.parley.Parley;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.time.Clock;

/** Options every command takes: where the sessions are, which tenant, and how to print. */
final class GlobalOptions {
    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "LOCATION",
            description = "Where sessions live: sqlite:PATH (default ${DEFAULT-VALUE}), jsonl:DIR, memory:, "
                    + "postgres://user@host:port/db, redis://host:port (redis-cluster://, rediss:// for TLS). Also PARLEY_STORE.",
            defaultValue = "${env:PARLEY_STORE:-" + SessionStores.DEFAULT_LOCATION + "}")
    String store;

    @Option(names = "--tenant", scope = ScopeType.INHERIT, paramLabel = "TENANT", defaultValue = "default",
            description = "Tenant to work in (default ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of text.")
    boolean json;

    /** Opens the store; the caller closes the returned Parley (which closes the store). */
    Parley open() {
        SessionStore opened = SessionStores.open(store, Clock.systemUTC());
        return Parley.builder().store(opened).tenant(TenantId.of(tenant)).build();
    }
}
