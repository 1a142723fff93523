package dev.parley.bench.load;

import io.javalin.Javalin;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The floor the load benchmark's appends are judged against: the same HTTP stack as {@code parley serve} (Javalin on
 * Jetty, its selector on a platform thread, each request on a virtual thread) over the same SQLite settings (WAL,
 * {@code synchronous=FULL}, one writer thread committing in groups, a 201 only once its batch is durable), doing the
 * least an append can do: check the bearer key, parse the JSON message, insert one row and move the session's head,
 * answer the new entry's id. No validation beyond that, no conditional writes, idempotency, counters, metrics,
 * budgets or privacy. It is the "bare Javalin + SQLite group commit" prototype the 20,000 appends/s target was set
 * against (about 39,000/s on the 2-core machine of that day, with {@code wrk} as the client), run with the benchmark's
 * own generator in the same run, so the report can say how much of Parley's figure the machine of the day and the
 * generator account for. Started as a JVM of its own, like the server.
 *
 * <p>It is also the floor of a gateway that keeps its conversations: {@code POST /v1/chat/completions} with
 * {@code X-Parley-Session} sends the request as it came to the OpenAI upstream through Apache HttpClient 5's blocking
 * client (as Parley's adapters do), then stores the request's last message and the reply in one durable commit, and
 * answers the upstream's reply as it came. No history is lined up, no context built, no tokens counted.
 *
 * <pre>java -cp benchmarks.jar dev.parley.bench.load.ReferenceServer --db FILE --api-key KEY --upstream URL --upstream-key KEY</pre>
 *
 * It prints {@code {"url": ...}} on one line once it listens on a free port of 127.0.0.1, as {@code parley serve --json}
 * does, and serves {@code GET /health}, {@code POST /v1/sessions}, {@code POST /v1/sessions/{id}/messages} and
 * {@code POST /v1/chat/completions}.
 */
public final class ReferenceServer {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ReferenceServer() {
    }

    public static void main(String[] args) throws SQLException {
        Map<String, String> options = options(args);
        String db = options.get("--db");
        String bearer = "Bearer " + options.get("--api-key");
        Writer writer = new Writer("jdbc:sqlite:" + db);
        Upstream upstream = new Upstream(options.get("--upstream"), options.get("--upstream-key"));
        Map<String, Long> sessions = new ConcurrentHashMap<>();
        Javalin app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("reference-jetty");
            threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("reference-request-"));
            cfg.jetty.threadPool = threads;
            // The two settings of parley serve that change what an append costs in Jetty and Javalin (decisions 92
            // and 100): without them the floor would carry overhead the server does not.
            cfg.http.responseBufferSize = 4096;
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.routes.get("/health", ctx -> ctx.result("ok"));
            cfg.routes.post("/v1/sessions", ctx -> {
                if (!bearer.equals(ctx.header("Authorization"))) {
                    ctx.status(401);
                    return;
                }
                String id = UUID.randomUUID().toString();
                long pk = writer.submit(w -> w.createSession(id)).join();
                sessions.put(id, pk);
                ctx.status(201).contentType("application/json").result(JSON.writeValueAsString(Map.of("id", id)));
            });
            cfg.routes.post("/v1/sessions/{id}/messages", ctx -> {
                if (!bearer.equals(ctx.header("Authorization"))) {
                    ctx.status(401);
                    return;
                }
                Long pk = sessions.get(ctx.pathParam("id"));
                if (pk == null) {
                    ctx.status(404);
                    return;
                }
                JsonNode body = JSON.readTree(ctx.bodyAsBytes());
                String role = body.get("role").asString();
                String content = body.get("content").asString();
                long seq = writer.submit(w -> w.append(pk, role, content)).join();
                ctx.status(201).contentType("application/json")
                        .result(JSON.writeValueAsString(Map.of("entries", List.of(Map.of("id", seq)))));
            });
            cfg.routes.post("/v1/chat/completions", ctx -> {
                if (!bearer.equals(ctx.header("Authorization"))) {
                    ctx.status(401);
                    return;
                }
                String sessionId = ctx.header("X-Parley-Session");
                Long pk = sessionId == null ? null : sessions.get(sessionId);
                if (pk == null) {
                    ctx.status(404);
                    return;
                }
                byte[] request = ctx.bodyAsBytes();
                JsonNode messages = JSON.readTree(request).get("messages");
                JsonNode asked = messages.get(messages.size() - 1);
                String reply = upstream.complete(request);
                JsonNode answer = JSON.readTree(reply).get("choices").get(0).get("message");
                writer.submit(w -> {
                    w.append(pk, asked.get("role").asString(), asked.get("content").asString());
                    return w.append(pk, answer.get("role").asString(), answer.get("content").asString());
                }).join();
                ctx.status(200).contentType("application/json").result(reply);
            });
        });
        app.start("127.0.0.1", 0);
        System.out.println(JSON.writeValueAsString(Map.of("url", "http://127.0.0.1:" + app.port())));
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
    }

    private static final String USAGE = "usage: ReferenceServer --db FILE --api-key KEY --upstream URL --upstream-key KEY";
    private static final List<String> OPTIONS = List.of("--db", "--api-key", "--upstream", "--upstream-key");

    /** Each option once, with its value; every one is required. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException(USAGE + " (unknown option " + args[i] + ")");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(USAGE + " (" + args[i] + " needs a value)");
            }
            options.put(args[i], args[i + 1]);
        }
        for (String required : OPTIONS) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException(USAGE + " (missing " + required + ")");
            }
        }
        return options;
    }

    /** The OpenAI upstream, called as Parley's adapters call it: Apache HttpClient 5's blocking client, pooled connections. */
    private static final class Upstream {
        private final CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnPerRoute(Integer.MAX_VALUE).setMaxConnTotal(Integer.MAX_VALUE).build())
                .disableAutomaticRetries().disableContentCompression().disableCookieManagement().build();
        private final URI completions;
        private final String bearer;

        Upstream(String baseUrl, String key) {
            this.completions = URI.create(baseUrl + "/chat/completions");
            this.bearer = "Bearer " + key;
        }

        /** The upstream's reply to {@code request}, sent as it came; anything but 200 fails the call. */
        String complete(byte[] request) throws IOException {
            HttpPost post = new HttpPost(completions);
            post.setHeader("Authorization", bearer);
            post.setHeader("accept", "application/json");
            post.setEntity(new ByteArrayEntity(request, ContentType.APPLICATION_JSON));
            return client.execute(post, response -> {
                String body = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
                if (response.getCode() != 200) {
                    throw new IOException("the upstream answered " + response.getCode() + ": " + body);
                }
                return body;
            });
        }
    }

    /** One thread that writes: takes every waiting request, runs them in one transaction, commits, then answers them. */
    private static final class Writer {
        @FunctionalInterface
        interface Work {
            long run(Writer writer) throws SQLException;
        }

        private record Request(Work work, CompletableFuture<Long> done) {
        }

        private final Connection connection;
        private final PreparedStatement insertSession;
        private final PreparedStatement insertEntry;
        private final PreparedStatement moveHead;
        private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        /** The writer thread's alone, like the connection: requests run only on it. */
        private final Map<Long, Long> lastSeq = new java.util.HashMap<>();
        private long lastSessionKey;

        Writer(String url) throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            connection = config.createConnection(url);
            try (Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE sessions (pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, head INTEGER, "
                        + "last_seq INTEGER NOT NULL)");
                sql.execute("CREATE TABLE entries (session_pk INTEGER NOT NULL, seq INTEGER NOT NULL, parent INTEGER, "
                        + "role TEXT NOT NULL, content TEXT NOT NULL)");
                sql.execute("CREATE UNIQUE INDEX entries_by_seq ON entries (session_pk, seq)");
            }
            connection.setAutoCommit(false);
            insertSession = connection.prepareStatement("INSERT INTO sessions (pk, id, last_seq) VALUES (?, ?, 0)");
            insertEntry = connection.prepareStatement(
                    "INSERT INTO entries (session_pk, seq, parent, role, content) VALUES (?, ?, ?, ?, ?)");
            moveHead = connection.prepareStatement("UPDATE sessions SET head = ?, last_seq = ? WHERE pk = ?");
            Thread.ofPlatform().name("reference-writer").daemon().start(this::loop);
        }

        CompletableFuture<Long> submit(Work work) {
            Request request = new Request(work, new CompletableFuture<>());
            queue.add(request);
            return request.done;
        }

        long createSession(String id) throws SQLException {
            long pk = ++lastSessionKey;
            insertSession.setLong(1, pk);
            insertSession.setString(2, id);
            insertSession.executeUpdate();
            lastSeq.put(pk, 0L);
            return pk;
        }

        long append(long pk, String role, String content) throws SQLException {
            long parent = lastSeq.get(pk);
            long seq = parent + 1;
            insertEntry.setLong(1, pk);
            insertEntry.setLong(2, seq);
            if (parent == 0) {
                insertEntry.setNull(3, java.sql.Types.INTEGER);
            } else {
                insertEntry.setLong(3, parent);
            }
            insertEntry.setString(4, role);
            insertEntry.setString(5, content);
            insertEntry.executeUpdate();
            moveHead.setLong(1, seq);
            moveHead.setLong(2, seq);
            moveHead.setLong(3, pk);
            moveHead.executeUpdate();
            lastSeq.put(pk, seq);
            return seq;
        }

        /** After a rolled-back batch: the heads as committed, the batch's moves forgotten. */
        private void reloadHeads() {
            lastSeq.clear();
            try (Statement sql = connection.createStatement();
                 java.sql.ResultSet rows = sql.executeQuery("SELECT pk, last_seq FROM sessions")) {
                while (rows.next()) {
                    lastSeq.put(rows.getLong(1), rows.getLong(2));
                }
                connection.commit();
            } catch (SQLException e) {
                throw new IllegalStateException("the reference server cannot read its sessions back", e);
            }
        }

        private void loop() {
            List<Request> batch = new ArrayList<>();
            while (true) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(batch);
                List<Long> results = new ArrayList<>(batch.size());
                try {
                    for (Request request : batch) {
                        results.add(request.work.run(this));
                    }
                    connection.commit();
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).done.complete(results.get(i));
                    }
                } catch (SQLException | RuntimeException e) {
                    // A reference with nothing to recover: the batch fails as a whole and the server stops counting it.
                    try {
                        connection.rollback();
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                    }
                    batch.forEach(r -> r.done.completeExceptionally(e));
                    reloadHeads();
                }
                batch.clear();
            }
        }
    }
}
