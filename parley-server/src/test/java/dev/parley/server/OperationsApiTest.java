package dev.parley.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.StoreException;
import dev.parley.store.SessionStore;
import dev.parley.store.memory.InMemorySessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class OperationsApiTest {
    private static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start(Map.of(), b -> b.store(failingOn(new InMemorySessionStore(java.time.Clock.systemUTC()))));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A store that fails like a bug ("explode") or like a broken disk ("disk-gone") for one session id each. */
    private static SessionStore failingOn(SessionStore delegate) {
        return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(), new Class<?>[]{SessionStore.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 1 && args[1] != null) {
                        if (args[1].toString().equals("explode")) {
                            throw new IllegalStateException("secret internal detail /var/lib/parley");
                        }
                        if (args[1].toString().equals("disk-gone")) {
                            throw new StoreException("disk I/O error at /var/lib/parley/parley.db");
                        }
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void healthAnswersWithoutCredentials() {
        TestServer.Response r = api.get("/health").anonymous().send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asString()).isEqualTo("ok");
        assertThat(r.header("X-Request-Id")).matches("[0-9a-f]{16}");
    }

    @Test
    void aCallersRequestIdIsKeptAndAHostileOneReplaced() {
        assertThat(api.get("/health").anonymous().header("X-Request-Id", "trace-abc-123").send().header("X-Request-Id"))
                .isEqualTo("trace-abc-123");
        assertThat(api.get("/health").anonymous().header("X-Request-Id", "a b\tc").send().header("X-Request-Id"))
                .matches("[0-9a-f]{16}");
    }

    @Test
    void metricsCountRequestsByRouteAndStatusAndStoreCallsByOperation() {
        api.createSession("{\"id\": \"metered\"}");
        api.get("/v1/sessions/metered").send();
        api.get("/v1/sessions/not-there").send();

        String metrics = api.get("/metrics").anonymous().send().body();

        assertThat(metrics).contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\","
                + "route=\"/v1/sessions/{id}\",status=\"200\"}");
        assertThat(metrics).contains("route=\"/v1/sessions/{id}\",status=\"404\"");
        assertThat(metrics).contains("parley_store_latency_seconds_count{operation=\"create\",outcome=\"success\"}");
        assertThat(metrics).contains("parley_session_creations_total");
        assertThat(metrics).doesNotContain("metered").doesNotContain("not-there");
    }

    @Test
    void theOpenApiDocumentDescribesEveryServedEndpoint() {
        JsonNode doc = api.get("/openapi.json").anonymous().send().json();
        Set<String> described = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().propertyNames()
                .forEach(method -> described.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));

        assertThat(api.server.endpoints()).hasSizeGreaterThan(30);
        assertThat(described).containsAll(api.server.endpoints());
        assertThat(described).contains("POST /v1/sessions/{id}/checkpoints/{name}/restore", "DELETE /v1/admin/keys/{keyId}");
        assertThat(doc.at("/paths/~1v1~1sessions~1{id}~1messages/post/parameters").toString()).contains("Idempotency-Key");
        assertThat(doc.at("/paths/~1health/get/security").size()).isZero();
    }

    @Test
    void anUnexpectedFailureIsA500WithARequestIdAndNoDetail() {
        TestServer.Response r = api.get("/v1/sessions/explode").send();

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.errorCode()).isEqualTo("internal");
        assertThat(r.json().at("/error/requestId").asString()).isEqualTo(r.header("X-Request-Id"));
        assertThat(r.body()).doesNotContain("secret").doesNotContain("IllegalState").doesNotContain("/var/lib");
    }

    @Test
    void aStoreFailureIsA503WithoutTheStoresDetail() {
        TestServer.Response r = api.get("/v1/sessions/disk-gone").send();

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.errorCode()).isEqualTo("store_unavailable");
        assertThat(r.body()).doesNotContain("/var/lib");
    }

    @Test
    void theAccessLogNamesRoutesAndCallersButNeverContentsOrKeys() {
        Logger access = (Logger) LoggerFactory.getLogger("dev.parley.server.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Level before = access.getLevel();
        access.setLevel(Level.INFO);
        access.addAppender(lines);
        try {
            api.createSession("{\"id\": \"logged\", \"systemPrompt\": \"TOP-SECRET-PROMPT\"}");
            api.post("/v1/sessions/logged/messages").json("{\"role\": \"user\", \"content\": \"my password is hunter2\"}").send();
        } finally {
            access.detachAppender(lines);
            access.setLevel(before);
        }

        String log = String.join("\n", lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertThat(log).contains("route=/v1/sessions/{id}/messages").contains("status=201").contains("tenant=default")
                .contains("request_id=");
        assertThat(log).doesNotContain("hunter2").doesNotContain("TOP-SECRET").doesNotContain(TestServer.ADMIN_KEY);
    }

    @Test
    void theSweeperDeletesSessionsOnceTheyExpire() {
        try (TestServer timed = TestServer.start()) {
            timed.createSession("{\"id\": \"short\", \"ttl\": 60}");
            timed.createSession("{\"id\": \"long\", \"ttl\": 6000}");
            timed.clock.advance(Duration.ofSeconds(61));

            assertThat(timed.get("/v1/sessions/short").send().status()).isEqualTo(404);
            assertThat(timed.server.sweepExpiredNow()).isEqualTo(1);
            assertThat(timed.server.sweepExpiredNow()).isZero();
            assertThat(timed.get("/v1/sessions/long").send().status()).isEqualTo(200);
            assertThat(timed.get("/metrics").anonymous().send().body()).contains("parley_session_deletions_total 1.0");
        }
    }
}
