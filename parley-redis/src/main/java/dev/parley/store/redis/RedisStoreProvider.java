package dev.parley.store.redis;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreProvider;

import java.time.Clock;
import java.util.Set;

/**
 * {@code redis://…}, {@code redis-cluster://…} and their TLS forms {@code rediss://…} and {@code rediss-cluster://…}: lets {@code --store}, {@code PARLEY_STORE} and
 * {@link dev.parley.store.SessionStores#open} name a Redis store.
 */
public final class RedisStoreProvider implements SessionStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-cluster", "rediss-cluster");
    }

    @Override
    public SessionStore open(String location, Clock clock) {
        return RedisSessionStore.builder().url(location).clock(clock).build();
    }

    @Override
    public String usage() {
        return "redis://[[user]:password@]host[:port][/db][?prefix=name]   Redis, shared by several servers;"
                + " redis-cluster://host:port,host:port,...[?prefix=name] for a Redis Cluster;"
                + " rediss:// and rediss-cluster:// over TLS (certificates checked; &ca=FILE.pem trusts that CA bundle)";
    }
}
