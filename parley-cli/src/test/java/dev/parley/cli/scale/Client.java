package dev.parley.cli.scale;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * One of the concurrent API clients. Each request goes to the next server in turn, so a client's requests (and its
 * retries) land on every server. It appends to the shared session (unconditionally, sometimes two messages at once)
 * and to its own (unconditionally, with the {@code If-Match} version it last saw, or with a deliberately stale one);
 * every append carries an idempotency key, and some are sent again with it, as a client does after losing an answer.
 */
final class Client implements Callable<Void> {
    static final int OPERATIONS = 16;
    private static final int MAX_ATTEMPTS = 3;

    /** An append as sent: the same request (key, body, headers) is what a retry sends again. */
    private record Request(String session, String key, List<String> texts, Long ifMatch) {
        String body() {
            if (texts.size() == 1) {
                return ParleyJson.write(message(texts.getFirst()));
            }
            ObjectNode body = ParleyJson.object();
            ArrayNode messages = body.putArray("messages");
            texts.forEach(text -> messages.add(message(text)));
            return ParleyJson.write(body);
        }

        private static ObjectNode message(String text) {
            return ParleyJson.object().put("role", "user").put("content", text);
        }

        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Idempotency-Key", key);
            if (ifMatch != null) {
                headers.put("If-Match", "\"" + ifMatch + "\"");
            }
            return headers;
        }
    }

    /** An answer and the server that gave it; {@code afterLostAnswer} when an earlier attempt's answer never came. */
    private record Sent(int server, Http.Response response, boolean afterLostAnswer) {
    }

    private final int index;
    private final Random random;
    private final Http http;
    private final List<String> servers;
    private final Ledger ledger;
    private final String shared;
    private final String own;
    private long ownVersion;
    private int turn;

    Client(int index, long seed, Http http, List<String> servers, Ledger ledger, String shared, String own, long ownVersion) {
        this.index = index;
        this.random = new Random(seed + 7919L * index);
        this.http = http;
        this.servers = servers;
        this.ledger = ledger;
        this.shared = shared;
        this.own = own;
        this.ownVersion = ownVersion;
        this.turn = index;
    }

    @Override
    public Void call() throws InterruptedException {
        for (int op = 0; op < OPERATIONS; op++) {
            if (random.nextInt(100) < 45) {
                appendToShared(op);
            } else {
                appendToOwn(op);
            }
        }
        return null;
    }

    private void appendToShared(int op) throws InterruptedException {
        Request request = new Request(shared, key(op), texts(op, random.nextInt(5) == 0 ? 2 : 1), null);
        Sent sent = send(request);
        if (acknowledged(request, sent)) {
            maybeRetry(op, request, sent);
        }
    }

    private void appendToOwn(int op) throws InterruptedException {
        int mode = random.nextInt(3);
        if (mode == 2 && ownVersion > 0) {
            Request stale = new Request(own, key(op), texts(op, 1), random.nextLong(ownVersion));
            refused(stale, send(stale), 409, "version_conflict");
            if (random.nextInt(100) < 30) {
                // A refused write leaves no idempotency record behind: sending it again is refused again.
                refused(stale, send(stale), 409, "version_conflict");
            }
            return;
        }
        Request request = new Request(own, key(op), texts(op, 1), mode == 0 ? null : ownVersion);
        Sent sent = send(request);
        if (acknowledged(request, sent)) {
            ownVersion = sent.response().etag();
            maybeRetry(op, request, sent);
        }
    }

    /** Sometimes sends the request again with its key (a lost answer), or the key with another body (a client bug). */
    private void maybeRetry(int op, Request request, Sent first) throws InterruptedException {
        int dice = random.nextInt(100);
        if (dice < 30) {
            Sent retry = send(request);
            Http.Response answer = retry.response();
            boolean replay = answer.status() == 200 && answer.header("Idempotent-Replay").equals(Optional.of("true"))
                    && answer.entries().equals(first.response().entries());
            if (replay) {
                ledger.replayed();
            } else {
                ledger.unexpected(describe(request, retry, "200 replaying " + first.response().entries()));
            }
        } else if (dice < 38) {
            Request reused = new Request(request.session(), request.key(), List.of(text(op, "reusing its key")), null);
            refused(reused, send(reused), 422, "idempotency_mismatch");
        }
    }

    private boolean acknowledged(Request request, Sent sent) {
        Http.Response answer = sent.response();
        // After a lost answer the first attempt may have landed after all: then the replay is the acknowledgement.
        boolean ok = answer.status() == 201 || (sent.afterLostAnswer() && answer.status() == 200);
        if (ok && answer.entries().stream().map(Http.Stored::content).toList().equals(request.texts())) {
            ledger.acknowledged(new Ledger.Ack(request.session(), request.key(), answer.entries(), sent.server()));
            return true;
        }
        ledger.unexpected(describe(request, sent, "201 with entries " + request.texts()));
        return false;
    }

    private void refused(Request request, Sent sent, int status, String code) {
        Http.Response answer = sent.response();
        if (answer.status() == status && answer.errorCode().equals(code)) {
            ledger.rejected(new Ledger.Rejection(request.session(), request.texts(), status, code, sent.server()));
        } else {
            ledger.unexpected(describe(request, sent, status + " " + code));
        }
    }

    /** Sends to the next server in turn; a failed connection is retried (same key) on the next one, as a client would. */
    private Sent send(Request request) throws InterruptedException {
        IOException lost = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int server = turn++ % servers.size();
            ledger.sent(server);
            try {
                Http.Response answer = http.post(servers.get(server), "/v1/sessions/" + request.session() + "/messages",
                        request.body(), request.headers());
                return new Sent(server, answer, attempt > 0);
            } catch (IOException e) {
                ledger.lostResponse();
                lost = e;
            }
        }
        throw new UncheckedIOException("client " + index + ": no server answered " + request.key() + " in " + MAX_ATTEMPTS
                + " attempts", lost);
    }

    private String key(int op) {
        return String.format("client-%02d-op-%02d", index, op);
    }

    private List<String> texts(int op, int count) {
        List<String> texts = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            texts.add(text(op, "message " + k));
        }
        return texts;
    }

    /** Unique per request: a text names exactly one append, so finding it twice is a duplicate. */
    private String text(int op, String what) {
        return String.format("client %02d op %02d %s", index, op, what);
    }

    private String describe(Request request, Sent sent, String expected) {
        return String.format("client %d, key %s, If-Match %s, to %s through server %d: expected %s, got %s", index,
                request.key(), request.ifMatch(), request.session(), sent.server(), expected, sent.response());
    }
}
