package dev.parley.client;

import com.sun.net.httpserver.HttpServer;
import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.IdempotencyMismatchException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.ParleyException;
import dev.parley.StoreException;
import dev.parley.context.QuotaExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.parley.domain.SessionId;
import dev.parley.domain.UserId;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every status and code the server answers with, and the exception the client turns it into: one table. */
class ErrorMappingTest {
    private HttpServer server;
    private final AtomicReference<Canned> next = new AtomicReference<>();

    record Canned(int status, String body, String retryAfter) {
    }

    private ParleyClient client() {
        return ParleyClient.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).apiKey("pk_secret_never_shown")
                .build();
    }

    @Test
    void anErrorEventInAStreamedTurnBecomesTheExceptionItsCodeNames() {
        next.set(new Canned(200, "event: delta\ndata: {\"text\":\"Hel\"}\n\nevent: unknown\ndata: {}\n\nevent: error\ndata: "
                + error("budget_exceeded", "budget session exceeded", ",\"budget\":\"session\",\"requested\":9,\"available\":1")
                + "\n\n", null));
        try (ParleyClient client = client()) {
            RemoteSession s = new RemoteSession(client, SessionId.of("s1"), UserId.ANONYMOUS, "main", new ConcurrentHashMap<>());
            StringBuilder seen = new StringBuilder();
            BudgetExceededException e = catchThrowableOfType(BudgetExceededException.class, () -> s.stream("hi", seen::append));
            assertThat(e.budget()).isEqualTo("session");
            assertThat(seen).hasToString("Hel");
        }
    }

    @Test
    void aStreamThatEndsBeforeTheTurnFinishedIsReportedAsIncomplete() {
        next.set(new Canned(200, "event: delta\ndata: {\"text\":\"Hel\"}\n\n", null));
        try (ParleyClient client = client()) {
            RemoteSession s = new RemoteSession(client, SessionId.of("s1"), UserId.ANONYMOUS, "main", new ConcurrentHashMap<>());
            RemoteException e = catchThrowableOfType(RemoteException.class, () -> s.stream("hi", text -> { }));
            assertThat(e.code()).isEqualTo("incomplete");
            assertThat(e.getMessage()).contains("may or may not have been appended");
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Canned canned = next.get();
            byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (canned.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", canned.retryAfter());
            }
            exchange.sendResponseHeaders(canned.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String error(String code, String message, String extra) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"requestId\":\"req-1\"" + extra + "}}";
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(400, error("invalid_request", "limit must be a whole number", ",\"field\":\"limit\""), null,
                        InvalidInputException.class, "limit"),
                Arguments.of(400, error("invalid_json", "request body is not valid JSON", ""), null,
                        InvalidInputException.class, "request"),
                Arguments.of(413, error("payload_too_large", "request body is larger than 1024 bytes", ""), null,
                        InvalidInputException.class, "body"),
                Arguments.of(401, error("token_expired", "the session token expired", ""), null, AccessDeniedException.class, "token_expired"),
                Arguments.of(403, error("forbidden", "this session token grants another session", ""), null,
                        AccessDeniedException.class, "forbidden"),
                Arguments.of(404, error("not_found", "no session s1", ""), null, NotFoundException.class, null),
                Arguments.of(409, error("version_conflict", "session s1 is at version 3, not 2", ""), null,
                        ConflictException.class, "VERSION"),
                Arguments.of(409, error("head_conflict", "branch main moved", ""), null, ConflictException.class, "HEAD"),
                Arguments.of(409, error("already_exists", "session mine exists", ""), null, ConflictException.class, "ALREADY_EXISTS"),
                Arguments.of(409, error("vault_conflict", "placeholder taken", ""), null, ConflictException.class, "VAULT"),
                Arguments.of(409, error("in_flight", "the first request is still running", ""), null, ConflictException.class, "IN_FLIGHT"),
                Arguments.of(409, error("history_mismatch", "the history does not match", ""), null, RemoteException.class,
                        "history_mismatch"),
                Arguments.of(422, error("idempotency_mismatch", "key used with another request", ""), null,
                        IdempotencyMismatchException.class, null),
                Arguments.of(422, error("budget_exceeded", "budget user exceeded",
                        ",\"budget\":\"user\",\"requested\":500,\"available\":20"), null, BudgetExceededException.class, "user"),
                Arguments.of(422, error("quota_exceeded", "too long", ",\"requested\":9000,\"available\":100"), null,
                        QuotaExceededException.class, null),
                Arguments.of(429, error("rate_limited", "too many requests", ""), "3", RateLimitedException.class, "PT3S"),
                Arguments.of(500, error("internal", "internal server error", ""), null, RemoteException.class, "internal"),
                Arguments.of(502, error("model_bad_request", "the provider refused", ""), null, RemoteException.class,
                        "model_bad_request"),
                Arguments.of(503, error("store_unavailable", "the session store failed", ""), null, StoreException.class, null),
                Arguments.of(503, error("model_unavailable", "the provider is down", ""), null, RemoteException.class,
                        "model_unavailable"),
                Arguments.of(502, "<html>Bad gateway</html>", null, RemoteException.class, "http_502"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void eachErrorBecomesTheExceptionTheLibraryWouldThrow(int status, String body, String retryAfter,
                                                           Class<? extends ParleyException> type, String detail) {
        next.set(new Canned(status, body, retryAfter));
        try (ParleyClient client = client()) {
            ParleyException thrown = catchThrowableOfType(type, () -> client.open("s1"));
            assertThat(thrown).as("status %s", status).isNotNull();
            assertThat(thrown.getMessage()).doesNotContain("pk_secret_never_shown");
            switch (thrown) {
                case InvalidInputException i -> assertThat(i.field()).isEqualTo(detail);
                case ConflictException c -> assertThat(c.reason().name()).isEqualTo(detail);
                case BudgetExceededException b -> assertThat(b.budget() + b.requested() + b.available()).isEqualTo(detail + "50020");
                case QuotaExceededException q -> assertThat(q.requested()).isEqualTo(9000);
                case RateLimitedException r -> assertThat(r.retryAfter()).hasValueSatisfying(d -> assertThat(d).hasToString(detail));
                case RemoteException r -> {
                    assertThat(r.code()).isEqualTo(detail);
                    assertThat(r.status()).isEqualTo(status);
                    assertThat(r.retriable()).isEqualTo(java.util.List.of(429, 502, 503, 504).contains(status));
                    if (body.startsWith("{")) {
                        assertThat(r.requestId()).contains("req-1");
                    }
                }
                default -> assertThat(thrown.getMessage()).isEqualTo(body.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1"));
            }
        }
    }
}
