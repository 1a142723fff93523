package dev.parley.server;

import dev.parley.models.ChatModel;
import dev.parley.server.internal.Server;
import dev.parley.store.SessionStore;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Parley's REST API as an embeddable server: sessions, messages, state, checkpoints, branches, chat turns (with
 * server-sent events), the OpenAI-compatible stateful gateway ({@code /v1/chat/completions}: any OpenAI SDK, its
 * conversation kept in the session {@code X-Parley-Session} names), sanitising through the privacy layer, tenants with
 * hashed API keys, signed session tokens, rate limits, metrics, an access log and an OpenAPI description at
 * {@code /openapi.json}. Runs on Javalin with virtual threads.
 *
 * <pre>{@code
 * try (ParleyServer server = ParleyServer.builder().config(ServerConfig.load(null, System.getenv(), Map.of())).start()) {
 *     server.createdAdminKey().ifPresent(key -> System.out.println("admin API key: " + key));
 *     server.awaitShutdown();
 * }
 * }</pre>
 *
 * On the first start against a store holding no API key, and unless {@code apiKey} is configured, the server creates
 * an admin key and returns it once from {@link #createdAdminKey()}; only its hash is stored. {@link #close()} stops
 * accepting requests, lets those in flight finish (up to {@code shutdownGrace}), stops the sweeper of expired
 * sessions and closes the store.
 */
public final class ParleyServer implements AutoCloseable {
    private final Server server;
    private final ServerConfig config;
    private final Object stopped = new Object();
    private boolean closed;

    private ParleyServer(Server server, ServerConfig config) {
        this.server = server;
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port it listens on (the one chosen when {@code port} was 0). */
    public int port() {
        return server.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port();
    }

    /** The admin API key this start created (first start, no key configured): show it once, it is not stored. */
    public Optional<String> createdAdminKey() {
        return server.createdAdminKey().map(ApiKeys.Created::secret);
    }

    /** Deletes expired sessions now, as the background sweeper does every {@code sweepInterval}; returns how many. */
    public int sweepExpiredNow() {
        return server.sweepExpiredNow();
    }

    /** Every endpoint served, as {@code "METHOD /path"} in OpenAPI path syntax. */
    public Set<String> endpoints() {
        return server.endpoints();
    }

    /** Blocks until {@link #close()} is called (from a shutdown hook, for example). */
    public void awaitShutdown() throws InterruptedException {
        synchronized (stopped) {
            while (!closed) {
                stopped.wait();
            }
        }
    }

    @Override
    public void close() {
        synchronized (stopped) {
            if (closed) {
                return;
            }
            try {
                server.close();
            } finally {
                closed = true;
                stopped.notifyAll();
            }
        }
    }

    /** Configures a {@link ParleyServer}; everything but the configuration is optional. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private SessionStore store;
        private Clock clock = Clock.systemUTC();
        private Map<String, ChatModel> models;
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        public Builder config(ServerConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** A store to serve instead of opening the configured location; closed when the server closes. */
        public Builder store(SessionStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** The clock of expiry, tokens and rate limits (tests move one by hand). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * A model provider for {@code /chat} and the gateway under {@code provider}; once any is given, the environment
         * configures none. The first one given is the default provider unless the {@code provider} setting names
         * another. The gateway reaches a model given here through its adapter, also without a session (no byte-for-byte
         * pass-through, which needs the upstream's endpoint from {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY}).
         */
        public Builder model(String provider, ChatModel model) {
            if (models == null) {
                models = new LinkedHashMap<>();
            }
            models.put(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(model, "model"));
            return this;
        }

        /** Where provider keys ({@code OPENAI_API_KEY} …) are looked up (default: the process environment). */
        public Builder environment(Map<String, String> value) {
            this.environment = Map.copyOf(value);
            return this;
        }

        public ParleyServer start() {
            return new ParleyServer(Server.start(config, store, clock, models, environment), config);
        }
    }
}
