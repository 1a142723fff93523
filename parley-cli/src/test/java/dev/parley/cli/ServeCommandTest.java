package dev.parley.cli;

import dev.parley.json.ParleyJson;
import dev.parley.models.testing.FakeOllamaServer;
import dev.parley.server.ParleyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {
    private static final Pattern KEY = Pattern.compile("pk_[0-9a-z]{12}_[0-9a-z]{32}");

    @TempDir
    Path dir;

    @AfterEach
    void forgetTheHook() {
        ServeCommand.started = server -> { };
    }

    /** A serve run in this JVM: its exit status and what it printed once stopped. */
    private record Run(int status, String out, String err) {
    }

    /** Starts {@code parley serve ARGS}, lets {@code whileRunning} call it, stops it, and returns what it did. */
    private Run serve(java.util.function.Consumer<ParleyServer> whileRunning, String... args) throws Exception {
        LinkedBlockingQueue<ParleyServer> servers = new LinkedBlockingQueue<>();
        ServeCommand.started = servers::add;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("serve", "--port", "0", "--store", "sqlite:" + dir.resolve("data/parley.db")));
        all.addAll(List.of(args));
        // serve holds its thread until stopped: on a thread of its own, not on the common pool, whose workers the JDK's
        // HTTP client (the model adapters') needs to complete responses; with the pool's one worker held, they never do.
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Thread.ofPlatform().name("parley-serve-under-test").start(() -> status.complete(ParleyCli.run(all.toArray(String[]::new),
                new PrintWriter(out, true), new PrintWriter(err, true))));
        ParleyServer server = null;
        while (server == null && !status.isDone()) {
            server = servers.poll(50, TimeUnit.MILLISECONDS);
        }
        if (server != null) {
            try {
                whileRunning.accept(server);
            } finally {
                server.close();
            }
        }
        return new Run(status.get(60, TimeUnit.SECONDS), out.toString(), err.toString());
    }

    private static int get(ParleyServer server, String path, String key) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFirstStartPrintsANewAdminKeyOnceAndTheNextStartPrintsNone() throws Exception {
        List<String> keys = new ArrayList<>();
        Run first = serve(server -> {
            assertThat(server.url()).startsWith("http://127.0.0.1:");
            Matcher key = KEY.matcher(server.createdAdminKey().orElseThrow());
            assertThat(key.matches()).isTrue();
            keys.add(key.group());
            assertThat(get(server, "/v1/sessions", keys.getFirst())).isEqualTo(200);
            assertThat(get(server, "/v1/sessions", null)).isEqualTo(401);
        });
        Run second = serve(server -> assertThat(get(server, "/v1/sessions", keys.getFirst())).isEqualTo(200));

        assertThat(first.status()).isZero();
        assertThat(first.out()).contains("Parley is listening on http://127.0.0.1:").contains(keys.getFirst())
                .contains("shown only this once");
        assertThat(Files.readString(dir.resolve("data/parley.db"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(keys.getFirst());
        assertThat(second.status()).isZero();
        assertThat(second.out()).contains("Parley is listening on").doesNotContain("pk_").doesNotContain("admin API key");
        assertThat(dir.resolve("data/token-secret")).exists();
    }

    @Test
    void theUpstreamFlagsPutAProviderBehindTheGatewayAndSanitizeHidesOriginalsFromIt() throws Exception {
        try (FakeOllamaServer ollama = FakeOllamaServer.start()) {
            ollama.replyText("Writing to <EMAIL_1>.");
            List<String> replies = new ArrayList<>();
            Run run = serve(server -> {
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer scripted-key-0123456789").header("X-Parley-Session", "via-ollama")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"llama3.2\", \"messages\": "
                                    + "[{\"role\": \"user\", \"content\": \"Write to jane.doe@example.com\"}]}")).build();
                    replies.add(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "--api-key", "scripted-key-0123456789", "--upstream", "ollama", "--upstream-url", ollama.baseUrl(), "--sanitize");

            assertThat(run.status()).isZero();
            assertThat(ParleyJson.parse(replies.getFirst(), "reply").at("/choices/0/message/content").asString())
                    .isEqualTo("Writing to jane.doe@example.com.");
            assertThat(ollama.lastRequest().body()).contains("<EMAIL_1>").doesNotContain("jane.doe@example.com");
            assertThat(dir.resolve("data/master.key")).exists();
        }
    }

    @Test
    void aKeyGivenOnTheCommandLineIsAcceptedAndNoOtherIsCreated() throws Exception {
        Run run = serve(server -> {
            assertThat(server.createdAdminKey()).isEmpty();
            assertThat(get(server, "/v1/sessions", "scripted-key-0123456789")).isEqualTo(200);
        }, "--api-key", "scripted-key-0123456789", "--set", "rateLimit=100");

        assertThat(run.status()).isZero();
        assertThat(run.out()).doesNotContain("scripted-key").doesNotContain("pk_");
    }

    @Test
    void jsonOutputCarriesTheUrlAndTheCreatedKey() throws Exception {
        Run run = serve(server -> { }, "--json", "--tenant", "acme");

        var json = ParleyJson.parse(run.out().lines().findFirst().orElseThrow(), "serve output");
        assertThat(json.get("url").asString()).startsWith("http://127.0.0.1:");
        assertThat(json.get("adminKey").asString()).matches(KEY.pattern());
        assertThat(json.get("tenant").asString()).isEqualTo("acme");
    }

    @Test
    void aBadSettingStopsTheStartWithAMessageNamingIt() throws Exception {
        Run run = serve(server -> { }, "--set", "rateLimit=fast");
        Run unknown = serve(server -> { }, "--set", "colour=blue");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("rateLimit").contains("a number");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown setting 'colour'");
    }

    @Test
    void theHelpListsEverySettingWithItsVariable() {
        StringWriter out = new StringWriter();
        ParleyCli.run(new String[]{"serve", "--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));

        assertThat(out.toString()).contains("PARLEY_MAX_BODY_BYTES").contains("PARLEY_RATE_LIMIT").contains("--api-key")
                .contains("default 127.0.0.1");
    }
}
