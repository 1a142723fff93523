package dev.parley.models.internal;

import com.sun.net.httpserver.HttpServer;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.domain.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The adapters' blocking POST: what it sends and returns, and the bounds on an exchange that drags on. */
class BlockingPostTest {
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** One exchange through a client bounded by {@code timeout}. */
    private BlockingPost.Reply post(String path, Map<String, String> headers, String body, Duration timeout) throws IOException {
        try (BlockingPost posts = new BlockingPost(Duration.ofSeconds(5), timeout)) {
            return posts.post(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), headers, body);
        }
    }

    @Test
    void sendsTheJsonBodyAndHeadersAndReturnsStatusBodyAndEveryHeader() throws IOException {
        server.createContext("/echo", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("X-Seen-Type", exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.getResponseHeaders().add("X-Seen-Key", exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getResponseHeaders().add("Retry-After", "1");
            exchange.getResponseHeaders().add("Retry-After", "2");
            exchange.sendResponseHeaders(429, in.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(in);
            }
        });

        BlockingPost.Reply reply = post("/echo", Map.of("Authorization", "Bearer k"), "{\"text\": \"Grüße\"}",
                Duration.ofSeconds(5));

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.body()).isEqualTo("{\"text\": \"Grüße\"}");
        assertThat(reply.headers().firstValue("x-seen-type")).contains("application/json");
        assertThat(reply.headers().firstValue("X-SEEN-KEY")).contains("Bearer k");
        assertThat(reply.headers().allValues("retry-after")).containsExactly("1", "2");
    }

    @Test
    void aServerThatSendsNothingTimesOutAtTheDeadline() {
        server.createContext("/silent", exchange -> sleep(3_000));

        long start = System.nanoTime();
        // The socket's read timeout and the deadline both end it at 300 ms; whichever wins, it is a timeout.
        assertThatThrownBy(() -> post("/silent", Map.of(), "{}", Duration.ofMillis(300)))
                .isInstanceOfAny(SocketTimeoutException.class, BlockingPost.DeadlinePassed.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aReplyTricklingInPastTheDeadlineIsAbortedThoughEveryReadGetsAByteInTime() {
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 40);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 40; i++) {
                    out.write('x');
                    out.flush();
                    sleep(100);
                }
            } catch (IOException e) {
                // the client hung up at its deadline: expected
            }
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> post("/trickle", Map.of(), "{}", Duration.ofMillis(500)))
                .isInstanceOf(BlockingPost.DeadlinePassed.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("aborted at the deadline, not at the reply's end (4 s)")
                .isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void anInterruptedCallEndsAtOnceAsCancelled() throws Exception {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start().requireApiKey("sk-k")) {
            fake.replySlow(Duration.ofSeconds(20));
            OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(fake.baseUrl()).apiKey("sk-k").environment(Map.of())
                    .build();
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    model.chat(ChatRequest.of("gpt-4o-mini", java.util.List.of(Message.user("Hi"))));
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            while (fake.requests().isEmpty()) {
                Thread.sleep(10);
            }
            caller.interrupt();
            caller.join(Duration.ofSeconds(5));

            assertThat(caller.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(java.util.concurrent.CancellationException.class)
                    .hasMessageContaining("interrupted");
            model.close();
        }
    }

    @Test
    void aModelGivenItsOwnJdkClientPostsThroughItAndLeavesItOpen() {
        AtomicInteger tasks = new AtomicInteger();
        Executor counting = task -> {
            tasks.incrementAndGet();
            task.run();
        };
        try (FakeOpenAiServer fake = FakeOpenAiServer.start().requireApiKey("sk-own");
             HttpClient own = HttpClient.newBuilder().executor(counting).build()) {
            fake.replyText("Through your client.");
            OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(fake.baseUrl()).apiKey("sk-own").environment(Map.of())
                    .httpClient(own).build();

            ChatResponse reply = model.chat(ChatRequest.of("gpt-4o-mini", java.util.List.of(Message.user("Hi"))));
            model.close();

            assertThat(reply.text()).isEqualTo("Through your client.");
            assertThat(tasks.get()).as("the JDK client ran the exchange").isPositive();
            assertThat(own.isTerminated()).isFalse();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
