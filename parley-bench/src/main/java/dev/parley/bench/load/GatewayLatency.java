package dev.parley.bench.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway adds to a model call: one client sends the same OpenAI request alternately straight to the upstream
 * and through {@code POST /v1/chat/completions} with {@code X-Parley-Session}, one call at a time, so both paths see
 * the same machine at the same moments (in either order, every other call). The upstream answers at once, so the difference is the gateway's own work: the
 * session read, the history rule, the context built from the store, the upstream call from the server, the durable
 * append of the turn.
 *
 * <p>A session takes {@code turnsPerSession} turns, then the next one starts, so the context sent upstream grows from 1
 * to {@code 2 × turnsPerSession - 1} messages. What a call carries is the {@link Client}'s: only the newest user message
 * (the session holds the rest), or the whole conversation so far, as OpenAI's SDK examples send it; the gateway then
 * lines the history up with the stored path before it builds the context. Sessions are created before the timed
 * calls: creating one is not part of a turn.
 */
final class GatewayLatency {

    /** The server has no {@code POST /v1/chat/completions} (a build from before the gateway). */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** What each call carries. */
    enum Client {
        /** Only the newest user message: the session holds the rest. */
        NEWEST_TURN("only the newest user message"),
        /** The whole conversation so far and the new user message, as OpenAI's SDK examples send it. */
        FULL_HISTORY("the whole conversation so far");

        final String carries;

        Client(String carries) {
            this.carries = carries;
        }
    }

    /** What was measured; any call not answered 200 with the upstream's reply fails the run instead. */
    record Outcome(Client client, int warmupCalls, int calls, int turnsPerSession, Latencies direct, Latencies gateway,
                   CpuUse cpu, long upstreamAnswered) {
        double addedP50() {
            return gateway.percentileMillis(0.50) - direct.percentileMillis(0.50);
        }

        double addedP99() {
            return gateway.percentileMillis(0.99) - direct.percentileMillis(0.99);
        }
    }

    private final ApiCalls api;
    private final ServerProcess server;
    private final FixedUpstream upstream;
    /** Whether the server says how it lined the history up ({@code X-Parley-Reconciled}): Parley does, the reference not. */
    private final boolean reconciles;

    GatewayLatency(ApiCalls api, ServerProcess server, FixedUpstream upstream) {
        this(api, server, upstream, true);
    }

    private GatewayLatency(ApiCalls api, ServerProcess server, FixedUpstream upstream, boolean reconciles) {
        this.api = api;
        this.server = server;
        this.upstream = upstream;
        this.reconciles = reconciles;
    }

    /** The same measurement against the {@link ReferenceServer}'s gateway, which keeps the turn but lines nothing up. */
    static GatewayLatency ofReference(ApiCalls api, ServerProcess reference, FixedUpstream upstream) {
        return new GatewayLatency(api, reference, upstream, false);
    }

    Outcome run(int warmupCalls, int calls, int turnsPerSession, Client client) throws IOException, InterruptedException {
        try (HttpClient http = ApiCalls.newClient()) {
            int sessionsNeeded = (warmupCalls + calls + turnsPerSession - 1) / turnsPerSession;
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < sessionsNeeded; i++) {
                sessions.add(api.createSession(http));
            }
            Latencies direct = new Latencies();
            Latencies gateway = new Latencies();
            CpuUse.Mark from = null;
            List<ApiCalls.ChatLine> conversation = new ArrayList<>();
            for (int i = 0; i < warmupCalls + calls; i++) {
                boolean timed = i >= warmupCalls;
                if (i == warmupCalls) {
                    from = CpuUse.Mark.now(server);
                }
                if (i % turnsPerSession == 0) {
                    conversation.clear();
                }
                ApiCalls.ChatLine question = new ApiCalls.ChatLine("user", "Question " + (i % turnsPerSession + 1)
                        + ": when does order " + (10_000 + i / turnsPerSession) + " ship, and can the delivery address still be changed?");
                conversation.add(question);
                String body = ApiCalls.completionBody(client == Client.FULL_HISTORY ? conversation : List.of(question));
                HttpRequest straight = ApiCalls.direct(upstream.baseUrl(), body);
                HttpRequest through = api.gateway(sessions.get(i / turnsPerSession), body);
                // How the gateway must have read the history (X-Parley-Reconciled), so the run measures what it says:
                // a whole history that did not line up with the session would be taken for an edit and branch off.
                String reconciled = client == Client.FULL_HISTORY && conversation.size() > 1 ? "append" : "delta";
                long directNanos;
                long gatewayNanos;
                // Either order every other call, so neither path always follows the other's after-effects.
                if (i % 2 == 0) {
                    directNanos = call(http, straight, null);
                    gatewayNanos = call(http, through, reconciled);
                } else {
                    gatewayNanos = call(http, through, reconciled);
                    directNanos = call(http, straight, null);
                }
                if (timed) {
                    direct.add(directNanos);
                    gateway.add(gatewayNanos);
                }
                conversation.add(new ApiCalls.ChatLine("assistant", FixedUpstream.REPLY));
            }
            CpuUse cpu = from == null ? null : from.until(CpuUse.Mark.now(server));
            return new Outcome(client, warmupCalls, calls, turnsPerSession, direct, gateway, cpu, upstream.answered());
        }
    }

    /** One call, timed; {@code reconciled} is the gateway's expected {@code X-Parley-Reconciled}, null for the upstream. */
    private long call(HttpClient http, HttpRequest request, String reconciled) throws IOException, InterruptedException {
        boolean gatewayCall = reconciled != null;
        String what = gatewayCall ? "the gateway" : "the upstream, directly";
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long elapsed = System.nanoTime() - sent;
        if (gatewayCall && (response.statusCode() == 404 || response.statusCode() == 405)) {
            throw new Unavailable("the server has no POST /v1/chat/completions (it answered " + response.statusCode()
                    + "): a build from before the gateway");
        }
        if (response.statusCode() != 200 || !response.body().contains(FixedUpstream.REPLY)) {
            throw new IOException("a call to " + what + " answered " + response.statusCode() + ": " + response.body());
        }
        String seen = response.headers().firstValue("X-Parley-Reconciled").orElse(null);
        if (gatewayCall && reconciles && !reconciled.equals(seen)) {
            throw new IOException("the gateway reconciled a call's history as " + seen + ", not " + reconciled);
        }
        return elapsed;
    }
}
