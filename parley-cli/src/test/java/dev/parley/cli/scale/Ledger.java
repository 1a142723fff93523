package dev.parley.cli.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/** What the clients were told, recorded from many threads: the facts the store is checked against afterwards. */
final class Ledger {
    /** An append the API acknowledged: its idempotency key, the texts it carried and the entries it created. */
    record Ack(String session, String key, List<Http.Stored> entries, int server) {
    }

    /** A write the API refused: its texts must be nowhere in the store. */
    record Rejection(String session, List<String> texts, int status, String code, int server) {
    }

    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Queue<Rejection> rejections = new ConcurrentLinkedQueue<>();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicIntegerArray requestsPerServer;
    private final AtomicInteger replays = new AtomicInteger();
    private final AtomicInteger lostResponses = new AtomicInteger();

    Ledger(int servers) {
        this.requestsPerServer = new AtomicIntegerArray(servers);
    }

    void sent(int server) {
        requestsPerServer.incrementAndGet(server);
    }

    void acknowledged(Ack ack) {
        acks.add(ack);
    }

    void rejected(Rejection rejection) {
        rejections.add(rejection);
    }

    /** An idempotent retry answered with the original entries. */
    void replayed() {
        replays.incrementAndGet();
    }

    /** A request whose answer never arrived (the connection failed); the client retried it with the same key. */
    void lostResponse() {
        lostResponses.incrementAndGet();
    }

    /** An answer the API should not have given, described for the failure message. */
    void unexpected(String what) {
        unexpected.add(what);
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    String summary(String backend, int clients) {
        long entries = acks.stream().mapToLong(a -> a.entries().size()).sum();
        long stale = rejections.stream().filter(r -> r.status() == 409).count();
        long mismatched = rejections.stream().filter(r -> r.status() == 422).count();
        List<Integer> perServer = new ArrayList<>();
        List<Long> acksPerServer = new ArrayList<>();
        for (int i = 0; i < requestsPerServer.length(); i++) {
            int server = i;
            perServer.add(requestsPerServer.get(i));
            acksPerServer.add(acks.stream().filter(a -> a.server() == server).count());
        }
        return String.format("%s: %d clients over %d servers: %d appends acknowledged (%d entries), %d idempotent retries"
                        + " replayed through another server, %d lost responses retried, %d stale If-Match refused (409),"
                        + " %d reused keys refused (422); requests per server %s, appends acknowledged per server %s",
                backend, clients, perServer.size(), acks.size(), entries, replays.get(), lostResponses.get(), stale, mismatched,
                perServer, acksPerServer);
    }
}
