package dev.parley.bench.compare;

import dev.langchain4j.community.store.memory.chat.redis.RedisChatMemoryStore;
import dev.langchain4j.community.store.memory.chat.redis.StoreType;
import dev.parley.store.redis.RedisSessionStore;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Redis for Parley's {@code RedisSessionStore} and LangChain4j's {@code RedisChatMemoryStore} (the
 * plain-Redis {@code STRING} layout: one JSON value per memory id). Spring AI is absent: its Redis chat
 * memory repository needs the Redis Query Engine and RedisJSON (Redis Stack), not plain Redis.
 *
 * <p>By default the run starts its own server with {@code appendfsync always} (see {@link RedisServer})
 * and removes it afterwards; given an existing server instead, every key is prefixed with
 * {@code bench-<runId>-} and those keys are deleted after the run.
 */
final class RedisBackend implements Backend {
    private final String host;
    private final int port;
    private final String prefix;
    private final RedisServer ownServer;
    private final Path ownDir;
    private final List<ChatSystem> systems = new ArrayList<>();
    private final List<String> settings = new ArrayList<>();

    private RedisBackend(String host, int port, String prefix, RedisServer ownServer, Path ownDir) {
        this.host = host;
        this.port = port;
        this.prefix = prefix;
        this.ownServer = ownServer;
        this.ownDir = ownDir;
    }

    /**
     * @param where {@code own} to start a private durable server keeping its files in {@code dir}, or
     *              {@code redis://host:port} of a running one
     */
    static RedisBackend open(String where, Path dir, String runId) throws IOException, InterruptedException {
        String prefix = "bench-" + runId + "-";
        if (where.equals("own")) {
            Path binary = RedisServer.binary().orElseThrow(() -> new IOException("no redis-server on the PATH to start a durable "
                    + "server with; install redis-server or pass --redis redis://host:port"));
            RedisServer server = RedisServer.start(binary, dir);
            return new RedisBackend("127.0.0.1", server.port(), prefix, server, dir).start("a private `redis-server` started for the run on port "
                    + server.port() + ", data in `" + dir + "`");
        }
        URI uri = URI.create(where);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--redis takes `own` or redis://host:port, not " + where);
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        return new RedisBackend(uri.getHost(), port, prefix, null, null).start("the existing server at " + uri.getHost() + ":" + port
                + ", keys prefixed `" + prefix + "` and deleted after the run");
    }

    private RedisBackend start(String server) {
        try {
            settings.add(server + "; " + persistence());
            systems.add(new ParleyChat(RedisSessionStore.builder().url("redis://" + host + ":" + port).keyPrefix(prefix + "parley").build(),
                    "Parley `RedisSessionStore` (key prefix `" + prefix + "parley`, Lettuce; one Lua script per write); "
                            + "append = `Session.add(List.of(user, assistant))`, read = `Session.last(20)`"));
            systems.add(new LangChain4jChat(lc4jStore(prefix + "lc4j-full:"), true, storage(prefix + "lc4j-full:")));
            systems.add(new LangChain4jChat(lc4jStore(prefix + "lc4j-win20:"), false, storage(prefix + "lc4j-win20:")));
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private RedisChatMemoryStore lc4jStore(String keyPrefix) {
        return RedisChatMemoryStore.builder().host(host).port(port).prefix(keyPrefix).storeType(StoreType.STRING).build();
    }

    private static String storage(String keyPrefix) {
        return "`RedisChatMemoryStore` of langchain4j-community-redis " + Versions.LANGCHAIN4J_REDIS + " (Jedis " + Versions.JEDIS
                + ", `StoreType.STRING`: one JSON value per memory id, key prefix `" + keyPrefix + "`)";
    }

    private String persistence() {
        try (Jedis jedis = new Jedis(host, port)) {
            String version = jedis.info("server").lines().filter(l -> l.startsWith("redis_version:"))
                    .map(l -> l.substring("redis_version:".length()).trim()).findFirst().orElse("unknown");
            Map<String, String> appendonly = jedis.configGet("appendonly");
            Map<String, String> appendfsync = jedis.configGet("appendfsync");
            Map<String, String> save = jedis.configGet("save");
            boolean durable = "yes".equals(appendonly.get("appendonly")) && "always".equals(appendfsync.get("appendfsync"));
            return "Redis " + version + "; durability, the same for every system: `appendonly=" + appendonly.get("appendonly")
                    + "`, `appendfsync=" + appendfsync.get("appendfsync") + "`, `save=\"" + save.get("save") + "\"`"
                    + (durable ? " (every write is fsynced to the append-only file before Redis acknowledges it)"
                    : " (**not durable**: an acknowledged write can be lost in a crash; the figures are not comparable with SQL ones)");
        }
    }

    @Override
    public String name() {
        return "Redis";
    }

    @Override
    public List<String> settings() {
        return settings;
    }

    @Override
    public List<ChatSystem> systems() {
        return systems;
    }

    @Override
    public void close() {
        Cleanup cleanup = new Cleanup();
        systems.forEach(system -> cleanup.run(system::close));
        if (ownServer != null) {
            cleanup.run(ownServer::close);
            cleanup.run(() -> {
                try (Stream<Path> files = Files.walk(ownDir)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            });
        } else {
            cleanup.run(this::deleteKeys);
        }
        cleanup.rethrow("cannot clean up the Redis part of the comparison");
    }

    /** Deletes this run's keys (and only those) from a shared server. */
    private void deleteKeys() {
        try (Jedis jedis = new Jedis(host, port)) {
            ScanParams match = new ScanParams().match(prefix + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    jedis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
