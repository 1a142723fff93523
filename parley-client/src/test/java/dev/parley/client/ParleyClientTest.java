package dev.parley.client;

import dev.parley.ConflictException;
import dev.parley.IdempotencyMismatchException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.SessionSpec;
import dev.parley.WriteOptions;
import dev.parley.context.Context;
import dev.parley.context.ContextMessage;
import dev.parley.context.ContextPolicy;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.UserId;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.server.ParleyServer;
import dev.parley.store.Page;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What the client adds to the session API: credentials, errors from a real server, paging, retries, chat. */
class ParleyClientTest {
    private static final MutableClock CLOCK = MutableClock.startingAt("2026-05-01T10:00:00Z");
    private static FakeOpenAiServer openai;
    private static ParleyServer server;
    private static ParleyClient client;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiServer.start();
        server = ParleyServer.builder().config(dev.parley.server.ServerConfig.load(null, Map.of(), Map.of("port", "0",
                        "store", "memory:", "apiKey", RemoteSessionApiTest.KEY, "rateLimit", "0", "sweepInterval", "0",
                        "shutdownGrace", "0", "accessLog", "false")))
                .clock(CLOCK).environment(Map.of())
                .model("openai", OpenAiChatModel.builder().baseUrl(openai.baseUrl()).apiKey("sk-test").defaultModel("gpt-4o-mini")
                        .maxRetries(0).build())
                .start();
        client = connect(RemoteSessionApiTest.KEY);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        openai.close();
    }

    private static ParleyClient connect(String key) {
        return ParleyClient.builder().baseUrl(server.url()).apiKey(key).build();
    }

    @Test
    void aWrongKeyIsRefusedAsUnauthenticatedWithoutTheKeyInTheError() {
        try (ParleyClient stranger = connect("pk_this_key_does_not_exist_42")) {
            AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class, stranger::create);
            assertThat(denied.unauthenticated()).isTrue();
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.code()).isEqualTo("unauthorized");
            assertThat(denied.retriable()).isFalse();
            assertThat(denied.getMessage()).doesNotContain("pk_this_key_does_not_exist_42");
            assertThat(stranger.toString()).doesNotContain("pk_this");
        }
    }

    @Test
    void aSessionTokenOpensItsSessionForReadingAndAppendingOnly() {
        RemoteSession mine = client.create(SessionSpec.builder().user("tina").systemPrompt("Be brief.").build());
        RemoteSession other = client.create(SessionSpec.builder().user("tina").build());
        String token = mine.token(Duration.ofMinutes(5));

        try (ParleyClient browser = ParleyClient.builder().baseUrl(server.url()).sessionToken(token).build()) {
            RemoteSession s = browser.open(mine.id());
            s.add(Message.user("from the browser"));
            s.checkpoint("seen");
            assertThat(s.messages()).extracting(Message::text).containsExactly("Be brief.", "from the browser");
            assertThat(s.state().session().all()).isEmpty();

            AccessDeniedException write = catchThrowableOfType(AccessDeniedException.class, () -> s.state().session().put("k", 1));
            assertThat(write.status()).isEqualTo(403);
            assertThat(write.unauthenticated()).isFalse();
            assertThatThrownBy(() -> browser.open(other.id())).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("another session");
            assertThatThrownBy(s::delete).isInstanceOf(AccessDeniedException.class);
        }
        assertThat(mine.size()).isEqualTo(2);
        CLOCK.advance(Duration.ofMinutes(6));
        try (ParleyClient late = ParleyClient.builder().baseUrl(server.url()).sessionToken(token).build()) {
            AccessDeniedException expired = catchThrowableOfType(AccessDeniedException.class, () -> late.open(mine.id()));
            assertThat(expired.code()).isEqualTo("token_expired");
        }
    }

    @Test
    void listingPagesThroughEverySessionOfAUserByCursor() {
        Set<SessionId> created = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            created.add(client.create(SessionSpec.builder().user("paula").metadata("n", Integer.toString(i)).build()).id());
            CLOCK.advance(Duration.ofMillis(5));
        }
        List<SessionInfo> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<SessionInfo> page = client.list(UserId.of("paula"), cursor, 10);
            seen.addAll(page.items());
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).extracting(SessionInfo::id).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen.getFirst().metadata()).containsEntry("n", "22");
        assertThat(seen.getFirst().user()).isEqualTo(UserId.of("paula"));
        assertThatThrownBy(() -> client.list(null, null, 5000)).isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("limit");
    }

    @Test
    void anAppendRetriedFromAnotherClientWithTheSameKeyLandsOnce() {
        RemoteSession s = client.create();
        Entry first = s.add(Message.user("pay invoice 9"), WriteOptions.idempotent("pay-9"));
        try (ParleyClient second = connect(RemoteSessionApiTest.KEY)) {
            Entry retried = second.open(s.id()).add(Message.user("pay invoice 9"), WriteOptions.idempotent("pay-9"));
            assertThat(retried).isEqualTo(first);
            assertThatThrownBy(() -> second.open(s.id()).add(Message.user("pay invoice 10"), WriteOptions.idempotent("pay-9")))
                    .isInstanceOf(IdempotencyMismatchException.class);
        }
        assertThat(s.size()).isEqualTo(1);
    }

    @Test
    void staleConditionsArriveAsConflictsWithTheirReason() {
        RemoteSession s = client.create();
        s.add(Message.user("one"));
        long version = s.version();
        s.add(Message.user("two"));
        ConflictException stale = catchThrowableOfType(ConflictException.class,
                () -> s.add(Message.user("three"), WriteOptions.ifVersion(version)));
        assertThat(stale.reason()).isEqualTo(ConflictException.Reason.VERSION);
        ConflictException moved = catchThrowableOfType(ConflictException.class,
                () -> s.add(Message.user("three"), WriteOptions.ifHead(null)));
        assertThat(moved.reason()).isEqualTo(ConflictException.Reason.HEAD);
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void aRedactionRecordsTheCredentialAndOnWhoseBehalf() {
        RemoteSession s = client.create();
        Entry secret = s.add(Message.user("my pin is 1234"));
        Entry tombstone = s.redact(secret.id(), "alice");
        assertThat(((Payload.Redacted) tombstone.payload()).by()).startsWith("key:").endsWith(" for alice");
        assertThat(s.entry(secret.id())).contains(tombstone);
    }

    @Test
    void theServerBuildsContextsForPoliciesThatAreData() {
        RemoteSession s = client.create(SessionSpec.builder().systemPrompt("sys").build());
        for (int i = 0; i < 6; i++) {
            s.add(Message.user("q" + i));
        }
        Context context = s.context(ContextPolicy.lastMessages(2), "gpt-4o");
        assertThat(context.toMessages()).extracting(Message::text).containsExactly("sys", "q4", "q5");
        assertThat(context.omittedMessages()).isEqualTo(4);
        assertThat(context.messages()).extracting(ContextMessage::source).first().isEqualTo(ContextMessage.Source.INITIAL);
        assertThat(context.totalTokens()).isPositive();
        assertThatThrownBy(() -> s.context(ContextPolicy.filtered(e -> true, ContextPolicy.all()), "gpt-4o"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds code");
    }

    @Test
    void whatAServerCannotTakeIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> client.create(SessionSpec.builder().ttl(Duration.ofMillis(1500)).build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> client.create(SessionSpec.builder().setting("engine.secret", "x").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("engine.secret");
        RemoteSession s = client.create();
        assertThatThrownBy(() -> s.metadata().set("k", null)).isInstanceOf(InvalidInputException.class);
        assertThat(s.version()).isEqualTo(client.open(s.id()).version());
    }

    @Test
    void aChatTurnRunsOnTheServerAndCanStream() {
        RemoteSession s = client.create(SessionSpec.builder().systemPrompt("Be brief.").build());
        openai.replyText("Hello, Ann!").usage(12, 4);
        ChatReply reply = s.chat("Hi, I am Ann");
        assertThat(reply.text()).isEqualTo("Hello, Ann!");
        assertThat(reply.inputTokens()).isEqualTo(12);
        assertThat(reply.provider()).isEqualTo("openai");
        assertThat(reply.entries()).hasSize(2);

        openai.replyText("one two three four").usage(5, 4);
        StringBuilder streamed = new StringBuilder();
        List<String> chunks = new ArrayList<>();
        ChatReply done = s.stream("count", text -> {
            chunks.add(text);
            streamed.append(text);
        });
        assertThat(streamed).hasToString("one two three four");
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(done.text()).isEqualTo("one two three four");
        assertThat(s.messages()).extracting(Message::text)
                .containsExactly("Be brief.", "Hi, I am Ann", "Hello, Ann!", "count", "one two three four");
    }

    @Test
    void aFailedStreamedTurnArrivesAsTheErrorItWouldBeWithoutStreaming() {
        RemoteSession s = client.create();
        openai.replyProviderError(503, "server_error", "overloaded");
        RemoteException failed = catchThrowableOfType(RemoteException.class, () -> s.stream("hello", text -> { }));
        assertThat(failed.code()).isEqualTo("model_unavailable");
        assertThat(failed.retriable()).isTrue();
        assertThat(s.size()).isZero();
    }

    @Test
    void anUnreachableServerIsARetriableErrorNamingTheServerButNotTheKey() {
        try (ParleyClient nowhere = ParleyClient.builder().baseUrl("http://127.0.0.1:1").apiKey("pk_do_not_print_me")
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            RemoteException e = catchThrowableOfType(RemoteException.class, () -> nowhere.open("x"));
            assertThat(e.status()).isZero();
            assertThat(e.code()).isEqualTo("unreachable");
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("127.0.0.1:1").doesNotContain("pk_do_not_print_me");
        }
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThatThrownBy(() -> ParleyClient.builder().baseUrl("ftp://example.org")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> ParleyClient.builder().baseUrl("http://127.0.0.1:8080").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("API key");
        assertThatThrownBy(() -> ParleyClient.builder().apiKey("pk_a").sessionToken("a.b"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> ParleyClient.builder().apiKey("has space")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ParleyClient.builder().requestTimeout(Duration.ZERO)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("requestTimeout must be positive");
        assertThat(ParleyClient.builder().baseUrl("http://127.0.0.1:8080/").apiKey("pk_a").build().baseUrl())
                .isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void anUnknownSessionIsNotFoundAndFindSaysSoWithoutThrowing() {
        assertThatThrownBy(() -> client.open("never-made")).isInstanceOf(NotFoundException.class).hasMessage("no session never-made");
        assertThat(client.find(SessionId.of("never-made"))).isEmpty();
        assertThat(client.exists(SessionId.of("never-made"))).isFalse();
        assertThat(client.delete(SessionId.of("never-made"))).isFalse();
    }
}
