package dev.parley.bench.load;

import io.javalin.Javalin;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

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
 * <pre>java -cp benchmarks.jar dev.parley.bench.load.ReferenceServer --db FILE --api-key KEY</pre>
 *
 * It prints {@code {"url": ...}} on one line once it listens on a free port of 127.0.0.1, as {@code parley serve --json}
 * does, and serves {@code GET /health}, {@code POST /v1/sessions} and {@code POST /v1/sessions/{id}/messages}.
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
        });
        app.start("127.0.0.1", 0);
        System.out.println(JSON.writeValueAsString(Map.of("url", "http://127.0.0.1:" + app.port())));
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--db", "--api-key")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("usage: ReferenceServer --db FILE --api-key KEY (missing " + required + ")");
            }
        }
        return options;
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
