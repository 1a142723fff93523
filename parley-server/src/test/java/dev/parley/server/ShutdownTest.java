package dev.parley.server;

import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.ScriptedReply;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownTest {

    private static boolean acceptsConnections(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void stoppingRefusesNewConnectionsButFinishesTheRequestInFlight() throws Exception {
        try (FakeOpenAiServer openai = FakeOpenAiServer.start()) {
            TestServer api = TestServer.start(Map.of("shutdownGrace", "30"), b -> b.model("openai", OpenAiChatModel.builder()
                    .baseUrl(openai.baseUrl()).apiKey("sk-test").defaultModel("gpt-4o-mini").maxRetries(0).build()));
            int port = api.server.port();
            api.createSession("{\"id\": \"in-flight\"}");
            ScriptedReply.Gate gate = openai.replyText("finished despite the shutdown").pauseAfterFirstChunk();
            CompletableFuture<HttpResponse<String>> inFlight = java.net.http.HttpClient.newHttpClient().sendAsync(
                    api.post("/v1/sessions/in-flight/chat").json("{\"content\": \"go\", \"stream\": true}").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(gate.awaitReached()).isTrue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(api::close);
            while (acceptsConnections(port)) {
                Thread.sleep(5);
            }
            assertThat(stopping).isNotDone();
            gate.open();
            stopping.join();

            HttpResponse<String> response = inFlight.join();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("event: done").contains("finished despite the shutdown");
        }
    }
}
