package dev.parley.store.redis;

import dev.parley.StoreException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a Redis server or cluster, shared by all threads (Lettuce pipelines their commands),
 * with every failure of the backend reported as a {@link StoreException} that says what was being done.
 * A single server and a cluster are driven through the same command interfaces; in a cluster Lettuce
 * routes each command to the node owning its key's slot and follows redirections after a failover.
 */
final class Redis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Redis.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisLocation location;
    private final String description;

    private Redis(AbstractRedisClient client, StatefulConnection<String, String> connection,
                  RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async, RedisLocation location) {
        this.client = client;
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.location = location;
        this.description = location.toString();
    }

    static Redis connect(RedisLocation location) {
        Tls tls = location.tls();
        String description = location.toString();
        // Read before connecting, so a bad CA file is reported as such rather than as a failed connection.
        SslOptions sslOptions = tls == null ? null : tls.sslOptions(location);
        if (tls != null && tls.verify() == Tls.Verify.CA) {
            LOG.warn("Redis store {}: TLS host names are NOT checked (verify=ca): any server whose certificate a CA in {}"
                    + " signed is accepted, whatever host it names", description, tls.trustSource());
        }
        List<RedisURI> uris = new ArrayList<>();
        for (RedisLocation.Node node : location.nodes()) {
            RedisURI.Builder uri = RedisURI.builder().withHost(node.host()).withPort(node.port()).withTimeout(TIMEOUT);
            if (tls != null) {
                // A cluster's discovered nodes inherit these from the seed URIs.
                uri.withSsl(true).withVerifyPeer(tls.mode());
            }
            if (!location.cluster()) {
                uri.withDatabase(location.database());
            }
            if (location.password() != null) {
                if (location.user() != null) {
                    uri.withAuthentication(location.user(), location.password());
                } else {
                    uri.withPassword(location.password().toCharArray());
                }
            }
            uris.add(uri.build());
        }
        AbstractRedisClient client = null;
        try {
            if (location.cluster()) {
                RedisClusterClient cluster = RedisClusterClient.create(uris);
                client = cluster;
                // Node connections open lazily, so commands must be accepted (and queued) while one connects.
                // Redirects and reconnects already trigger a topology refresh (Lettuce's default); the periodic
                // one also notices a failover that no command has run into yet.
                ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enablePeriodicRefresh(Duration.ofSeconds(30))
                                .build());
                if (sslOptions != null) {
                    options.sslOptions(sslOptions);
                }
                cluster.setOptions(options.build());
                StatefulRedisClusterConnection<String, String> c = cluster.connect();
                return new Redis(cluster, c, c.sync(), c.async(), location);
            }
            RedisClient single = RedisClient.create(uris.getFirst());
            client = single;
            // A lost server fails calls at once instead of queueing them until the timeout.
            ClientOptions.Builder options = ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            if (sslOptions != null) {
                options.sslOptions(sslOptions);
            }
            single.setOptions(options.build());
            StatefulRedisConnection<String, String> c = single.connect();
            return new Redis(single, c, c.sync(), c.async(), location);
        } catch (RedisException e) {
            if (client != null) {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
            throw new StoreException("cannot connect to " + description + ": " + ConnectFailure.explain(e, location), e);
        }
    }

    String describe() {
        return description;
    }

    /** Runs commands on the shared connection; a failure of Redis becomes a StoreException naming {@code what}. */
    <T> T call(String what, Function<RedisClusterCommands<String, String>, T> commands) {
        try {
            return commands.apply(sync);
        } catch (RedisException e) {
            throw failed(what, e);
        }
    }

    /**
     * Visits every key matching {@code pattern} once (on every node of a cluster), with SCAN: in batches, without
     * blocking the server. Keys written meanwhile may or may not be visited.
     */
    void scan(String what, String pattern, Consumer<String> visitor) {
        call(what, r -> {
            ScanIterator.scan(r, ScanArgs.Builder.matches(pattern).limit(1000)).forEachRemaining(visitor);
            return null;
        });
    }

    /** Sends several commands without waiting between them, then waits for all: one round trip. */
    List<Object> pipeline(String what, Function<RedisClusterAsyncCommands<String, String>, List<? extends RedisFuture<?>>> commands) {
        List<? extends RedisFuture<?>> futures;
        try {
            futures = commands.apply(async);
        } catch (RedisException e) {
            throw failed(what, e);
        }
        List<Object> results = new ArrayList<>(futures.size());
        for (RedisFuture<?> future : futures) {
            try {
                results.add(future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                throw failed(what, e.getCause() == null ? e : e.getCause());
            } catch (TimeoutException e) {
                throw failed(what, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for Redis to " + what, e);
            }
        }
        return results;
    }

    /** Runs a script by digest, sending its text when the server has not seen it yet. */
    @SuppressWarnings("unchecked")
    <T> T run(Script script, ScriptOutputType type, String what, String[] keys, String... args) {
        try {
            try {
                return (T) sync.evalsha(script.sha(), type, keys, args);
            } catch (RedisNoScriptException e) {
                return (T) sync.eval(script.source(), type, keys, args);
            }
        } catch (RedisException e) {
            throw failed(what, e);
        }
    }

    private StoreException failed(String what, Throwable e) {
        // A node met later (a failover, a resharding) may refuse TLS too; say so rather than "connection closed".
        String tlsProblem = location.tls() == null ? null : ConnectFailure.tlsProblem(e, location);
        return new StoreException("Redis (" + description + ") failed to " + what + ": "
                + (tlsProblem == null ? e.getMessage() : "TLS handshake failed: " + tlsProblem), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
