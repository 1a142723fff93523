package dev.parley.server;

import com.sun.net.httpserver.HttpServer;
import dev.parley.models.testing.FakeAnthropicServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What sits behind the gateway: another provider (translated both ways), and an OpenAI upstream's model list. */
class GatewayUpstreamsTest {

    @Test
    void anAnthropicUpstreamIsCalledInItsOwnFormatAndAnsweredInOpenAis() {
        try (FakeAnthropicServer anthropic = FakeAnthropicServer.start().requireApiKey("sk-ant-up");
             TestServer api = TestServer.start(Map.of("upstream", "anthropic"), b -> b.environment(Map.of(
                     "ANTHROPIC_API_KEY", "sk-ant-up", "ANTHROPIC_BASE_URL", anthropic.baseUrl())))) {
            OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY,
                    Map.of("X-Parley-Session", "via-anthropic"));
            OpenAiSdkClient.Conversation chat = new OpenAiSdkClient.Conversation().system("Be terse.").user("Hi, I am Ann.");
            anthropic.replyText("Hello Ann.").usage(15, 4);

            OpenAiSdkClient.Response first = client.create(client.body("claude-sonnet-4-5", chat));

            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            assertThat(first.content()).isEqualTo("Hello Ann.");
            assertThat(first.json().at("/usage/prompt_tokens").asInt()).isEqualTo(15);
            JsonNode sent = anthropic.lastRequest().json();
            assertThat(sent.get("system").asString()).isEqualTo("Be terse.");
            assertThat(sent.get("model").asString()).isEqualTo("claude-sonnet-4-5");

            chat.append(first.json()).user("My name?");
            anthropic.replyText("Ann.");
            OpenAiSdkClient.Stream second = client.stream(client.body("claude-sonnet-4-5", chat));

            assertThat(second.done()).as(second.toString()).isTrue();
            assertThat(second.text()).isEqualTo("Ann.");
            assertThat(anthropic.lastRequest().json().get("messages").size()).isEqualTo(3);
            assertThat(api.get("/v1/sessions/via-anthropic/messages").send().json().get("items").size()).isEqualTo(4);
        }
    }

    @Test
    void withoutASessionAnotherProvidersUpstreamIsTranslatedAndItsDefaultModelListed() {
        try (FakeAnthropicServer anthropic = FakeAnthropicServer.start();
             TestServer api = TestServer.start(Map.of(), b -> b.environment(Map.of(
                     "ANTHROPIC_API_KEY", "sk-ant-up", "ANTHROPIC_BASE_URL", anthropic.baseUrl())))) {
            OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of());
            anthropic.replyText("Stateless.");

            OpenAiSdkClient.Response r = client.create(client.body("claude-sonnet-4-5", new OpenAiSdkClient.Conversation().user("Hi")));

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.content()).isEqualTo("Stateless.");
            assertThat(api.get("/v1/sessions").send().json().get("items").size()).isZero();
            JsonNode models = client.models().json();
            assertThat(models.get("object").asString()).isEqualTo("list");
            assertThat(models.at("/data/0/id").asString()).isEqualTo("claude-sonnet-4-5");
            assertThat(models.at("/data/0/owned_by").asString()).isEqualTo("anthropic");
        }
    }

    @Test
    void anOpenAiUpstreamsModelListIsPassedThroughWithTheUpstreamKey() throws IOException {
        List<String> keys = new CopyOnWriteArrayList<>();
        String list = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1686935002,"
                + "\"owned_by\":\"openai\"}]}";
        HttpServer models = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        models.createContext("/v1/models", exchange -> {
            keys.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = list.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        models.start();
        String base = "http://127.0.0.1:" + models.getAddress().getPort() + "/v1";
        try (TestServer api = TestServer.start(Map.of(), b -> b.environment(Map.of("OPENAI_API_KEY", "sk-upstream",
                "OPENAI_BASE_URL", base)))) {
            OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of());

            OpenAiSdkClient.Response r = client.models();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(list);
            assertThat(keys).containsExactly("Bearer sk-upstream");
        } finally {
            models.stop(0);
        }
    }

    @Test
    void aCompatibleServerNamedByUpstreamUrlNeedsNoKey() {
        try (dev.parley.models.testing.FakeOpenAiServer local = dev.parley.models.testing.FakeOpenAiServer.start().allowAnonymous();
             TestServer api = TestServer.start(Map.of("upstream", "openai", "upstreamUrl", local.baseUrl()), b -> { })) {
            OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY,
                    Map.of("X-Parley-Session", "local"));
            local.replyText("From a local server.");

            OpenAiSdkClient.Response r = client.create(client.body("qwen2.5", new OpenAiSdkClient.Conversation().user("Hi")));

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.content()).isEqualTo("From a local server.");
            assertThat(local.lastRequest().header("authorization")).isEmpty();
        }
    }

    @Test
    void aServerWithoutAnUpstreamSaysHowToConfigureOne() {
        try (TestServer api = TestServer.start()) {
            OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY,
                    Map.of("X-Parley-Session", "nowhere"));
            ObjectNode body = client.body("gpt-4o-mini", new OpenAiSdkClient.Conversation().user("Hi"));

            OpenAiSdkClient.Response r = client.create(body);

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().at("/error/code").asString()).isEqualTo("no_provider");
            assertThat(r.json().at("/error/message").asString()).contains("OPENAI_API_KEY");
            assertThat(api.get("/v1/sessions/nowhere").send().status()).isEqualTo(404);
        }
    }

    @Test
    void anUpstreamUrlPointsTheUpstreamElsewhere() {
        try (FakeAnthropicServer anthropic = FakeAnthropicServer.start();
             TestServer api = TestServer.start(Map.of("upstream", "anthropic", "upstreamUrl", anthropic.baseUrl()),
                     b -> b.environment(Map.of("ANTHROPIC_API_KEY", "sk-ant-up", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9")))) {
            OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of());
            anthropic.replyText("Here.");

            OpenAiSdkClient.Response r = client.create(client.body("claude-sonnet-4-5", new OpenAiSdkClient.Conversation().user("Hi")));

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.content()).isEqualTo("Here.");
        }
    }
}
