package dev.parley.server.internal;

import dev.parley.Parley;
import dev.parley.models.ChatModel;
import dev.parley.privacy.SessionPrivacy;
import dev.parley.security.SessionTokens;
import dev.parley.server.ApiKeys;
import dev.parley.server.ServerConfig;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import dev.parley.template.TemplateRegistry;
import dev.parley.tokens.Calibration;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson3;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The running server: the engine over the configured store, keys and tokens, the privacy layer, the model providers
 * and the gateway's upstream, the routes on Javalin (virtual threads), the sweeper. Stopping it refuses new requests,
 * lets those in flight finish within the shutdown grace, stops the sweeper and closes the store. Used through
 * {@link dev.parley.server.ParleyServer}.
 */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    private static final int RESPONSE_COPY_BUFFER = 4096;

    private final Javalin app;
    private final Api api;
    private final Sweeper sweeper;
    private final ApiKeys.Created createdAdminKey;
    private final java.util.Set<String> registered;

    private Server(Javalin app, Api api, Sweeper sweeper, ApiKeys.Created createdAdminKey, java.util.Set<String> registered) {
        this.app = app;
        this.api = api;
        this.sweeper = sweeper;
        this.createdAdminKey = createdAdminKey;
        this.registered = registered;
    }

    /**
     * Starts a server. {@code store} (else the configured location is opened) is closed with the server;
     * {@code models} (else those the environment configures) are the providers of {@code /chat}.
     */
    public static Server start(ServerConfig config, SessionStore store, Clock clock, Map<String, ChatModel> models,
                               Map<String, String> environment) {
        Metrics metrics = new Metrics();
        SessionStore opened = store != null ? store : SessionStores.open(config.store(), clock);
        Parley root = Parley.builder().store(TimedStores.wrap(opened, metrics)).clock(clock).build();
        Providers providers = null;
        Upstream upstream = null;
        try {
            ApiKeys keys = new ApiKeys(root.store(), clock, config.apiKeyCache());
            ApiKeys.Created created = null;
            if (config.apiKey().isPresent()) {
                ApiKeys.Key configured = keys.register(config.apiKey().get(), config.tenant(), ApiKeys.Role.ADMIN,
                        "configured (apiKey)");
                if (!configured.active()) {
                    LOG.warn("the configured apiKey ({}) was revoked and is refused", configured.id());
                }
            } else {
                created = keys.bootstrap(config.tenant()).orElse(null);
            }
            String secrets = TokenSecrets.secrets(config);
            SessionTokens tokens = TokenSecrets.tokens(secrets, config, clock);
            SessionPrivacy privacy = VaultKeys.privacy(config);
            Map<String, String> providerEnvironment = Upstream.environment(config, environment);
            providers = new Providers(TimedModels.wrap(models != null ? models
                    : Providers.fromEnvironment(config.providers(), config.upstream().orElse(null), providerEnvironment),
                    metrics), config.provider().orElse(null));
            upstream = Upstream.of(config, providers, models != null ? null : providerEnvironment);
            ErrorMapper errors = new ErrorMapper(config.maxBodyBytes());
            Api api = new Api(config, clock, root, keys, tokens, new Authenticator(keys, tokens),
                    new RateLimiter(config.rateLimit(), config.rateBurst(), clock), metrics, providers, upstream, privacy,
                    new Fingerprints(secrets), TemplateRegistry.withBuiltIns(), new Calibration(), errors);
            RouteTable routes = new RouteTable();
            SessionRoutes.register(routes);
            TransferRoutes.register(routes);
            MessageRoutes.register(routes);
            StateRoutes.register(routes);
            HistoryRoutes.register(routes);
            StateVersionRoutes.register(routes);
            ChatRoutes.register(routes);
            GatewayRoutes.register(routes);
            AdminRoutes.register(routes);
            OpsRoutes.register(routes);
            java.util.Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Javalin app = javalin(config, api, routes, registered).start(config.host(), config.port());
            Sweeper sweeper = new Sweeper(root, config.sweepInterval(), config.sweepBatch(), metrics);
            sweeper.start();
            LOG.info("Parley listening on http://{}:{} (store {})", config.host(), app.port(), opened.describe());
            return new Server(app, api, sweeper, created, java.util.Set.copyOf(registered));
        } catch (RuntimeException e) {
            if (upstream != null) {
                upstream.close();
            }
            if (providers != null) {
                providers.close();
            }
            root.close();
            metrics.close();
            throw e;
        }
    }

    private static Javalin javalin(ServerConfig config, Api api, RouteTable routes, java.util.Set<String> registered) {
        AccessLog accessLog = new AccessLog(api.metrics(), config.accessLog());
        return Javalin.create(cfg -> {
            // Javalin's own executors (streamed JSON, async results) on virtual threads.
            cfg.concurrency.useVirtualThreads = true;
            // Jetty's own work (its selector and acceptor) on platform threads, each request on a virtual thread of its
            // own: the arrangement Jetty's threading guide recommends. Javalin's virtual-thread pool runs the selector
            // itself on a virtual thread, which parks in the JDK's poller and is woken by the poller's thread for every
            // readiness event: one more hand-off per request, and on 2 cores the CPU sat idle more often (decision 103).
            cfg.jetty.threadPool = jettyThreads();
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson3());
            cfg.http.maxRequestSize = config.maxBodyBytes();
            // Javalin copies each response to Jetty through a buffer of this size, allocated and zeroed per response;
            // its default, Jetty's 32 KiB output buffer, cost 12% of the server's CPU per append. Jetty still
            // gathers the copied pieces in its own (pooled) buffer, so a large response is not sent in small writes.
            cfg.http.responseBufferSize = RESPONSE_COPY_BUFFER;
            cfg.http.prefer405over404 = true;
            // Jetty's per-connection cache of header lines saves parsing a header seen before, but looking each
            // line up in it cost more than it saved: parsing a request took 24% of the server's Java samples per
            // append with the cache (13% in its look-ups) and 15% without (JFR under the load benchmark; decision 100).
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(config.shutdownGrace().toMillis());
                server.insertHandler(new GracefulHandler());
                server.setErrorHandler(new JsonErrorHandler());
            });
            cfg.requestLogger.http(accessLog::record);
            cfg.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    registered.add(info.getHttpMethod().name() + " " + info.getPath().replaceAll("[{<]([A-Za-z]+)[}>]", "{$1}"));
                }
            });
            cfg.routes.before(ctx -> {
                RequestIds.assign(ctx);
                long length = ctx.req().getContentLengthLong();
                if (length > config.maxBodyBytes()) {
                    throw new ApiException(413, "payload_too_large", "request body is larger than " + config.maxBodyBytes()
                            + " bytes");
                }
            });
            cfg.routes.exception(HttpResponseException.class, api.errors()::handle);
            cfg.routes.exception(Exception.class, api.errors()::handle);
            routes.install(cfg.routes, api);
        });
    }

    /** Platform threads for Jetty's selector and acceptor; requests are handled on virtual threads. */
    private static QueuedThreadPool jettyThreads() {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("parley-jetty");
        threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("parley-request-"));
        return threads;
    }

    public int port() {
        return app.port();
    }

    public Optional<ApiKeys.Created> createdAdminKey() {
        return Optional.ofNullable(createdAdminKey);
    }

    /** One sweep of expired sessions now; returns how many were deleted. */
    public int sweepExpiredNow() {
        return sweeper.sweepOnce();
    }

    /** The endpoints Javalin serves, as {@code "METHOD /path"} (OpenAPI path syntax). */
    public java.util.Set<String> endpoints() {
        return registered;
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            sweeper.close();
            api.upstream().close();
            api.providers().close();
            api.root().close();
            api.metrics().close();
        }
    }
}
